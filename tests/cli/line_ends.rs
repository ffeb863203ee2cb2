//! Line ends: a file saved with CRLF (Windows, Excel), bare CR (old Mac) or LF line ends gives
//! the same output, and no `\r` of a line end reaches a value.

use super::*;

fn assess_csv(input: &[u8]) -> (String, i32) {
    let out = hashmix()
        .args(["assess", "-", "--format", "csv"])
        .write_stdin(input.to_vec())
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

const LF: &str = "id,name,lat,lon,hashrate_ths,efficiency_j_per_th\n\n\
                  a,Ekibastuz,51.72,75.32,1000,30\n\
                  b,\"two\nlines\",51.72,75.32,1000,30\n\
                  c,Last,51.72,75.32,1000,25";

// Issue 20: the csv crate takes a CRLF line end itself (no pass turns CRLF into LF before it any
// more); a quoted name's own CRLF still reads as the LF of the same name in an LF file, and the
// last field of each row (here the efficiency, which every figure depends on) carries no `\r`.
#[test]
fn a_crlf_file_gives_the_bytes_of_the_same_file_with_lf_line_ends() {
    let (lf, code) = assess_csv(LF.as_bytes());
    assert_eq!(code, 0);
    assert!(lf.contains("b,\"two\nlines\","), "{lf}");
    assert!(!lf.contains('\r'), "{lf}");
    for crlf in [LF.replace('\n', "\r\n"), LF.replace('\n', "\r\n") + "\r\n"] {
        assert_eq!(assess_csv(crlf.as_bytes()), (lf.clone(), 0));
    }
}

// Issue 20: a bare `\r` ends a row as a `\n` does; the `\r` is in no value. A quoted field keeps
// a bare `\r` of its own (it is not a CRLF line end).
#[test]
fn a_file_with_bare_cr_line_ends_reads_every_row_and_no_cr_reaches_a_value() {
    let (lf, _) = assess_csv(LF.replace("two\nlines", "two\rlines").as_bytes());
    let (cr, code) = assess_csv(LF.replace('\n', "\r").as_bytes());
    assert_eq!(code, 0);
    assert_eq!(cr, lf);
    assert_eq!(cr.matches('\r').count(), 1, "{cr}");
    assert!(cr.contains("b,\"two\rlines\","), "{cr}");
}
