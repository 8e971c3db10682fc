#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| atelier_fuzz::body(data));
