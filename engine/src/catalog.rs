//! Streaming reader for catalogs in the H&M `articles.csv` schema.
//!
//! The reader takes any [`std::io::Read`] (the caller decides about files and
//! gzip) and yields one [`Article`] per row. Every problem is a
//! [`CatalogError`] naming the source, line and column. A file cut off inside a quoted
//! field, or a field longer than [`MAX_FIELD_BYTES`], is an error for the whole file
//! (memory stays bounded whatever the input).

use serde::{Deserialize, Serialize};
use std::io::Read;

/// The longest field accepted (H&M's longest description is about 1 kB).
pub const MAX_FIELD_BYTES: usize = 16 * 1024;

/// Where a [`Guard`] is in the CSV grammar (the `csv` crate's defaults: `"` quotes,
/// doubled inside a quoted field, literal inside an unquoted one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of it, or the first of a doubled pair.
    QuoteInQuoted,
}

/// Follows the bytes the CSV parser reads: refuses a field longer than
/// [`MAX_FIELD_BYTES`] before the parser buffers it, and remembers whether the input
/// ended inside a quoted field (a cut-off file, which the parser itself accepts).
struct Guard<R> {
    inner: R,
    lex: Lex,
    field_bytes: usize,
    line: u64,
    at_end: bool,
}

impl<R: Read> Guard<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            lex: Lex::FieldStart,
            field_bytes: 0,
            line: 1,
            at_end: false,
        }
    }

    /// Whether the whole input has been read and it ended inside a quoted field.
    fn cut_off(&self) -> bool {
        self.at_end && self.lex == Lex::Quoted
    }

    fn follow(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        for &b in bytes {
            if b == b'\n' {
                self.line += 1;
            }
            let boundary = matches!(b, b',' | b'\n' | b'\r');
            self.lex = match (self.lex, b) {
                (Lex::FieldStart, b'"') => Lex::Quoted,
                (Lex::FieldStart | Lex::Unquoted | Lex::QuoteInQuoted, _) if boundary => {
                    Lex::FieldStart
                }
                (Lex::FieldStart | Lex::Unquoted, _) => Lex::Unquoted,
                (Lex::Quoted, b'"') => Lex::QuoteInQuoted,
                (Lex::Quoted, _) => Lex::Quoted,
                (Lex::QuoteInQuoted, b'"') => Lex::Quoted,
                (Lex::QuoteInQuoted, _) => Lex::Unquoted,
            };
            self.field_bytes = if self.lex == Lex::FieldStart {
                0
            } else {
                self.field_bytes + 1
            };
            if self.field_bytes > MAX_FIELD_BYTES {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "line {}: a field longer than {MAX_FIELD_BYTES} bytes",
                        self.line
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.at_end = true;
        }
        self.follow(&buf[..n])?;
        Ok(n)
    }
}

/// The 25 columns of the schema, in the order of the original file.
pub const COLUMNS: [&str; 25] = [
    "article_id",
    "product_code",
    "prod_name",
    "product_type_no",
    "product_type_name",
    "product_group_name",
    "graphical_appearance_no",
    "graphical_appearance_name",
    "colour_group_code",
    "colour_group_name",
    "perceived_colour_value_id",
    "perceived_colour_value_name",
    "perceived_colour_master_id",
    "perceived_colour_master_name",
    "department_no",
    "department_name",
    "index_code",
    "index_name",
    "index_group_no",
    "index_group_name",
    "section_no",
    "section_name",
    "garment_group_no",
    "garment_group_name",
    "detail_desc",
];

/// One catalog row. Ids stay strings (they carry leading zeros); codes are integers
/// (`-1` means unknown in the source data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Article {
    pub article_id: String,
    pub product_code: String,
    pub prod_name: String,
    pub product_type_no: i32,
    pub product_type_name: String,
    pub product_group_name: String,
    pub graphical_appearance_no: i32,
    pub graphical_appearance_name: String,
    pub colour_group_code: i32,
    pub colour_group_name: String,
    pub perceived_colour_value_id: i32,
    pub perceived_colour_value_name: String,
    pub perceived_colour_master_id: i32,
    pub perceived_colour_master_name: String,
    pub department_no: i32,
    pub department_name: String,
    pub index_code: String,
    pub index_name: String,
    pub index_group_no: i32,
    pub index_group_name: String,
    pub section_no: i32,
    pub section_name: String,
    pub garment_group_no: i32,
    pub garment_group_name: String,
    pub detail_desc: String,
}

/// A problem with the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{source_name}: missing column(s) {missing:?}; the header has {found:?}")]
    MissingColumns {
        source_name: String,
        missing: Vec<String>,
        found: Vec<String>,
    },
    #[error("{source_name}: line {line}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
    Row {
        source_name: String,
        line: u64,
        column: Option<String>,
        message: String,
    },
    #[error("{source_name}: {message}")]
    Read {
        source_name: String,
        message: String,
    },
}

impl CatalogError {
    /// Whether this error concerns one row only (and can be skipped with `--skip-bad-rows`).
    pub fn is_row_error(&self) -> bool {
        matches!(self, CatalogError::Row { .. })
    }
}

/// Streams [`Article`]s from CSV bytes.
pub struct CatalogReader<R: Read> {
    source_name: String,
    reader: csv::Reader<Guard<R>>,
    /// Set once the input proved cut off (the error is reported once).
    failed: bool,
    /// Position of each schema column in the file's header.
    positions: [usize; 25],
    /// Number of fields in the header (every row must have as many).
    width: usize,
    record: csv::StringRecord,
}

impl<R: Read> CatalogReader<R> {
    /// Reads and checks the header. `source_name` (usually the path) is used in error messages.
    pub fn new(source_name: impl Into<String>, input: R) -> Result<Self, CatalogError> {
        let source_name = source_name.into();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(Guard::new(input));
        let headers = reader
            .headers()
            .map_err(|e| CatalogError::Read {
                source_name: source_name.clone(),
                message: format!("cannot read the header: {e}"),
            })?
            .clone();
        let found: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let mut positions = [0usize; 25];
        let mut missing = Vec::new();
        for (i, col) in COLUMNS.iter().enumerate() {
            match found.iter().position(|h| h == col) {
                Some(p) => positions[i] = p,
                None => missing.push(col.to_string()),
            }
        }
        if !missing.is_empty() {
            return Err(CatalogError::MissingColumns {
                source_name,
                missing,
                found,
            });
        }
        Ok(Self {
            source_name,
            reader,
            failed: false,
            positions,
            width: found.len(),
            record: csv::StringRecord::new(),
        })
    }

    fn row_error(&self, line: u64, column: Option<&str>, message: String) -> CatalogError {
        CatalogError::Row {
            source_name: self.source_name.clone(),
            line,
            column: column.map(str::to_string),
            message,
        }
    }

    fn parse_record(&self, line: u64) -> Result<Article, CatalogError> {
        let expected = self.width;
        if self.record.len() != expected {
            return Err(self.row_error(
                line,
                None,
                format!("expected {expected} fields, found {}", self.record.len()),
            ));
        }
        let field = |i: usize| self.record.get(self.positions[i]).unwrap_or("");
        let text = |i: usize| field(i).trim().to_string();
        let int = |i: usize| -> Result<i32, CatalogError> {
            let raw = field(i).trim();
            raw.parse::<i32>().map_err(|_| {
                self.row_error(
                    line,
                    Some(COLUMNS[i]),
                    format!("expected an integer code, found {raw:?}"),
                )
            })
        };
        let id = |i: usize| -> Result<String, CatalogError> {
            let raw = field(i).trim();
            if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
                return Err(self.row_error(
                    line,
                    Some(COLUMNS[i]),
                    format!("expected a numeric id, found {raw:?}"),
                ));
            }
            Ok(raw.to_string())
        };
        Ok(Article {
            article_id: id(0)?,
            product_code: id(1)?,
            prod_name: text(2),
            product_type_no: int(3)?,
            product_type_name: text(4),
            product_group_name: text(5),
            graphical_appearance_no: int(6)?,
            graphical_appearance_name: text(7),
            colour_group_code: int(8)?,
            colour_group_name: text(9),
            perceived_colour_value_id: int(10)?,
            perceived_colour_value_name: text(11),
            perceived_colour_master_id: int(12)?,
            perceived_colour_master_name: text(13),
            department_no: int(14)?,
            department_name: text(15),
            index_code: text(16),
            index_name: text(17),
            index_group_no: int(18)?,
            index_group_name: text(19),
            section_no: int(20)?,
            section_name: text(21),
            garment_group_no: int(22)?,
            garment_group_name: text(23),
            detail_desc: text(24),
        })
    }
}

impl<R: Read> Iterator for CatalogReader<R> {
    type Item = Result<Article, CatalogError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let mut record = std::mem::take(&mut self.record);
        let read = self.reader.read_record(&mut record);
        self.record = record;
        // The parser read to the end and the last field's quote never closed: the file
        // was cut off, and its last row is not what the catalog says.
        if self.reader.get_ref().cut_off() {
            self.failed = true;
            return Some(Err(CatalogError::Read {
                source_name: self.source_name.clone(),
                message: format!(
                    "the file ends inside a quoted field (line {}): it looks cut off",
                    self.reader.get_ref().line
                ),
            }));
        }
        match read {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map(|p| p.line()).unwrap_or(0);
                Some(self.parse_record(line))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                    _ => e.to_string(),
                };
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    self.failed = true;
                    return Some(Err(CatalogError::Read {
                        source_name: self.source_name.clone(),
                        message,
                    }));
                }
                Some(Err(self.row_error(line, None, message)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "article_id,product_code,prod_name,product_type_no,product_type_name,product_group_name,graphical_appearance_no,graphical_appearance_name,colour_group_code,colour_group_name,perceived_colour_value_id,perceived_colour_value_name,perceived_colour_master_id,perceived_colour_master_name,department_no,department_name,index_code,index_name,index_group_no,index_group_name,section_no,section_name,garment_group_no,garment_group_name,detail_desc";
    const ROW: &str = "0990001001,0990001,Linen wrap dress,265,Dress,Garment Full body,1010016,Solid,42,Red,3,Medium,18,Red,1322,Dresses,A,Ladieswear,1,Ladieswear,15,Womens Everyday Collection,1013,Dresses Ladies,\"Dress in \"\"airy\"\" linen, with a tie belt.\"";

    fn read(csv: &str) -> Vec<Result<Article, CatalogError>> {
        match CatalogReader::new("test.csv", csv.as_bytes()) {
            Ok(r) => r.collect(),
            Err(e) => vec![Err(e)],
        }
    }

    #[test]
    fn parses_quotes_and_leading_zeros() {
        let rows = read(&format!("{HEADER}\n{ROW}\n"));
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.article_id, "0990001001");
        assert_eq!(a.product_code, "0990001");
        assert_eq!(a.colour_group_code, 42);
        assert_eq!(a.detail_desc, "Dress in \"airy\" linen, with a tie belt.");
    }

    #[test]
    fn empty_description_and_unknown_codes() {
        let row = ROW.replace("1010016,Solid", "-1,Unknown");
        let row = &row[..row.rfind(",\"").unwrap() + 1];
        let rows = read(&format!("{HEADER}\n{row}\n"));
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.graphical_appearance_no, -1);
        assert_eq!(a.detail_desc, "");
    }

    #[test]
    fn columns_in_any_order_with_bom_and_crlf() {
        let mut cols: Vec<&str> = HEADER.split(',').collect();
        cols.swap(0, 2);
        let fields = {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(ROW.as_bytes());
            r.records().next().unwrap().unwrap()
        };
        let mut values: Vec<String> = fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        values.swap(0, 2);
        let text = format!("\u{feff}{}\r\n{}\r\n", cols.join(","), values.join(","));
        let a = read(&text).remove(0).unwrap();
        assert_eq!(a.article_id, "0990001001");
        assert_eq!(a.prod_name, "Linen wrap dress");
    }

    #[test]
    fn missing_column_names_what_was_found() {
        let header = HEADER.replace(",detail_desc", "");
        let err = read(&format!("{header}\n")).remove(0).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("detail_desc") && msg.contains("test.csv") && msg.contains("article_id"),
            "{msg}"
        );
    }

    #[test]
    fn malformed_rows_name_line_and_column() {
        let bad_code = ROW.replace(",265,", ",abc,");
        let short = "0990001002,0990001,Short row";
        let bad_id = ROW.replace("0990001001", "99-1");
        let rows = read(&format!(
            "{HEADER}\n{ROW}\n{bad_code}\n{short}\n{bad_id}\n{ROW}\n"
        ));
        assert_eq!(rows.len(), 5);
        assert!(rows[0].is_ok() && rows[4].is_ok());
        let e1 = rows[1].as_ref().unwrap_err().to_string();
        assert!(
            e1.contains("line 3") && e1.contains("product_type_no") && e1.contains("abc"),
            "{e1}"
        );
        let e2 = rows[2].as_ref().unwrap_err().to_string();
        assert!(
            e2.contains("line 4") && e2.contains("expected 25 fields, found 3"),
            "{e2}"
        );
        let e3 = rows[3].as_ref().unwrap_err().to_string();
        assert!(e3.contains("line 5") && e3.contains("article_id"), "{e3}");
        assert!(rows[1].as_ref().unwrap_err().is_row_error());
    }

    #[test]
    fn multiline_quoted_field_counts_lines() {
        let multi = ROW.replace("with a tie belt.", "with a\ntie belt.");
        let bad = ROW.replace(",265,", ",x,");
        let rows = read(&format!("{HEADER}\n{multi}\n{bad}\n"));
        assert!(rows[0].as_ref().unwrap().detail_desc.contains('\n'));
        let e = rows[1].as_ref().unwrap_err().to_string();
        assert!(e.contains("line 4"), "{e}");
    }

    #[test]
    fn a_file_cut_off_inside_a_quoted_field_is_an_error() {
        let whole = format!("{HEADER}\n{ROW}\n{ROW}\n");
        assert!(read(&whole).iter().all(Result::is_ok));
        // Cut inside the last row's quoted description.
        let cut = &whole[..whole.rfind("tie belt").unwrap()];
        let rows = read(cut);
        let last = rows.last().unwrap().as_ref().unwrap_err();
        assert!(
            !last.is_row_error(),
            "a file error: --skip-bad-rows cannot hide it"
        );
        assert!(last.to_string().contains("cut off"), "{last}");
        // Doubled quotes inside a quoted field, and a quote inside an unquoted one, are
        // not a cut.
        let quotes = ROW.replace("with a tie belt.", "with a \"\"tie\"\" belt.");
        let rows = read(&format!("{HEADER}\n{quotes}\n"));
        assert!(rows.iter().all(Result::is_ok), "{rows:?}");
        let inch = ROW.replace(",Dress,", ",5\" Dress,");
        assert!(read(&format!("{HEADER}\n{inch}")).iter().all(Result::is_ok));
    }

    #[test]
    fn a_field_over_the_limit_is_an_error_before_it_is_buffered() {
        let long = ROW.replace("with a tie belt.", &"x".repeat(MAX_FIELD_BYTES + 1));
        let rows = read(&format!("{HEADER}\n{ROW}\n{long}\n"));
        let e = rows.last().unwrap().as_ref().unwrap_err();
        assert!(e.to_string().contains("longer than"), "{e}");
        let fits = ROW.replace("with a tie belt.", &"x".repeat(MAX_FIELD_BYTES - 100));
        assert!(read(&format!("{HEADER}\n{fits}\n"))
            .iter()
            .all(Result::is_ok));
    }

    #[test]
    fn invalid_utf8_is_a_row_error() {
        let mut bytes = format!("{HEADER}\n").into_bytes();
        bytes.extend_from_slice(&ROW.as_bytes()[..30]);
        bytes.push(0xff);
        bytes.extend_from_slice(&ROW.as_bytes()[30..]);
        bytes.push(b'\n');
        let rows: Vec<_> = CatalogReader::new("t.csv", &bytes[..]).unwrap().collect();
        let e = rows[0].as_ref().unwrap_err();
        assert!(e.is_row_error() && e.to_string().contains("UTF-8"), "{e}");
    }
}
