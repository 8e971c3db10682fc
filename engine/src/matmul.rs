//! A matrix product for a few rows against a fixed weight matrix: `y = x·Wᵀ + b` for the
//! handful of tokens of a search query.
//!
//! General matrix-multiply libraries (candle uses `gemm`) copy ("pack") the weight matrix
//! into a cache-friendly layout on every call. For a query of ten tokens that copy costs
//! more than the arithmetic: most of a query embedding's time natively, and the main cost
//! of the browser's. [`PackedMatrix`] packs each weight matrix once, at load, into strips
//! of [`LANES`] output columns, and multiplies 4 rows at a time with the 4 × 8 accumulators
//! in registers — plain loops that vectorise for SIMD128 in wasm and, through the same
//! run-time dispatch as the int8 kernels, for AVX2 natively.
//!
//! Every output is the same sequence of f32 multiplies and adds on every platform (Rust
//! does not fuse them), so the browser and the server embed a query to the same bits.

/// Output columns per strip.
pub const LANES: usize = 8;
/// Rows multiplied together.
const ROWS: usize = 4;

/// A weight matrix `out × in` (the layout of a PyTorch `Linear`), packed for
/// [`PackedMatrix::matmul`].
#[derive(Debug, Clone)]
pub struct PackedMatrix {
    inp: usize,
    out: usize,
    /// Strip `s` is `inp × LANES` values, row `k` holding `W[s·LANES + j][k]` for
    /// `j < LANES` (zero past `out`).
    strips: Vec<f32>,
}

impl PackedMatrix {
    /// Packs `w`, row-major `out × inp`.
    ///
    /// # Panics
    /// If `w` does not hold `out × inp` values (a caller's bug, not a data error: callers
    /// check tensor shapes first).
    pub fn pack(w: &[f32], out: usize, inp: usize) -> Self {
        assert_eq!(w.len(), out * inp, "weight matrix is not {out} × {inp}");
        let n_strips = out.div_ceil(LANES);
        let mut strips = vec![0f32; n_strips * inp * LANES];
        for (o, row) in w.chunks_exact(inp.max(1)).enumerate() {
            let (s, j) = (o / LANES, o % LANES);
            for (k, &v) in row.iter().enumerate() {
                strips[(s * inp + k) * LANES + j] = v;
            }
        }
        Self { inp, out, strips }
    }

    pub fn inp(&self) -> usize {
        self.inp
    }

    pub fn out(&self) -> usize {
        self.out
    }

    /// `x·Wᵀ + bias` for `x`, row-major `rows × inp`; returns `rows × out`.
    ///
    /// # Panics
    /// If `x` is not a whole number of rows or `bias` is not `out` long.
    pub fn matmul(&self, x: &[f32], bias: &[f32]) -> Vec<f32> {
        assert!(
            self.inp > 0 && x.len().is_multiple_of(self.inp),
            "input rows are not {} wide",
            self.inp
        );
        assert_eq!(bias.len(), self.out, "bias is not {} long", self.out);
        let mut y = vec![0f32; x.len() / self.inp * self.out];
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2,fma")]
            fn wide(m: &PackedMatrix, x: &[f32], bias: &[f32], y: &mut [f32]) {
                m.product(x, bias, y)
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                // SAFETY: the CPU supports AVX2 and FMA (checked just above).
                unsafe { wide(self, x, bias, &mut y) };
                return y;
            }
        }
        self.product(x, bias, &mut y);
        y
    }

    /// Strip by strip, every row against a strip while it is in cache (the weights are
    /// read once per call), from a copy of `x` transposed into blocks of [`ROWS`] rows so
    /// the inner loop reads both operands in order, without bounds checks.
    #[inline(always)]
    fn product(&self, x: &[f32], bias: &[f32], y: &mut [f32]) {
        let inp = self.inp;
        let rows = x.len() / inp;
        let blocks = rows.div_ceil(ROWS);
        let mut xt = vec![[0f32; ROWS]; blocks * inp];
        for (r, row) in x.chunks_exact(inp).enumerate() {
            let (b, i) = (r / ROWS, r % ROWS);
            for (t, &v) in xt[b * inp..(b + 1) * inp].iter_mut().zip(row) {
                t[i] = v;
            }
        }
        let (columns, _) = self.strips.as_chunks::<LANES>();
        for (s, strip) in columns.chunks_exact(inp).enumerate() {
            for (b, xb) in xt.chunks_exact(inp).enumerate() {
                let r = b * ROWS;
                let acc = match rows - r {
                    1 => block::<1>(strip, xb),
                    2 => block::<2>(strip, xb),
                    3 => block::<3>(strip, xb),
                    _ => block::<ROWS>(strip, xb),
                };
                let first = s * LANES;
                let width = LANES.min(self.out - first);
                for (i, acc) in acc.iter().enumerate().take(rows - r) {
                    let row = &mut y[(r + i) * self.out + first..][..width];
                    for j in 0..width {
                        row[j] = acc[j] + bias[first + j];
                    }
                }
            }
        }
    }
}

/// One strip's sums for up to [`ROWS`] rows (`R` of them; the rest stay zero).
#[inline(always)]
fn block<const R: usize>(strip: &[[f32; LANES]], xb: &[[f32; ROWS]]) -> [[f32; LANES]; ROWS] {
    let mut acc = [[0f32; LANES]; ROWS];
    for (w, xv) in strip.iter().zip(xb) {
        for i in 0..R {
            for j in 0..LANES {
                acc[i][j] += xv[i] * w[j];
            }
        }
    }
    acc
}

/// `x·Wᵀ + b` the obvious way, summing in the order [`PackedMatrix`] does.
fn naive(w: &[f32], out: usize, inp: usize, x: &[f32], bias: &[f32]) -> Vec<f32> {
    let rows = x.len() / inp;
    let mut y = vec![0f32; rows * out];
    for r in 0..rows {
        for o in 0..out {
            let mut s = 0f32;
            for k in 0..inp {
                s += x[r * inp + k] * w[o * inp + k];
            }
            y[r * out + o] = s + bias[o];
        }
    }
    y
}

fn values(n: usize, seed: u32) -> Vec<f32> {
    (0..n as u32)
        .map(|i| {
            ((i.wrapping_mul(2654435761).wrapping_add(seed) >> 8) % 2001) as f32 / 1000.0 - 1.0
        })
        .collect()
}

/// Checks [`PackedMatrix::matmul`] (whichever kernel this build uses) against [`naive`]
/// bit for bit: every remainder of rows (0–7) and widths that are not multiples of
/// [`LANES`]. See [`crate::quant::check_kernels`].
pub(crate) fn check_kernels() -> Result<(), String> {
    for (out, inp) in [(19, 13), (16, 384), (8, 1)] {
        let w = values(out * inp, 1);
        let bias = values(out, 2);
        let m = PackedMatrix::pack(&w, out, inp);
        for rows in 0..8 {
            let x = values(rows * inp, 3 + rows as u32);
            if m.matmul(&x, &bias) != naive(&w, out, inp, &x, &bias) {
                return Err(format!("matrix product {rows} × {inp} · {inp} × {out}"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_naive_product_bit_for_bit() {
        check_kernels().unwrap();
        let m = PackedMatrix::pack(&values(19 * 13, 1), 19, 13);
        assert_eq!((m.out(), m.inp()), (19, 13));
    }

    #[test]
    fn portable_and_dispatched_kernels_agree() {
        let (out, inp) = (40, 96);
        let m = PackedMatrix::pack(&values(out * inp, 5), out, inp);
        let (x, bias) = (values(6 * inp, 6), values(out, 7));
        let mut portable = vec![0f32; 6 * out];
        m.product(&x, &bias, &mut portable);
        assert_eq!(m.matmul(&x, &bias), portable);
    }
}
