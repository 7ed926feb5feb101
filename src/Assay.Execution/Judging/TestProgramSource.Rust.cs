using System.Text;
using System.Text.RegularExpressions;

namespace Assay.Execution.Judging;

public static partial class TestProgramSource
{
    [GeneratedRegex(@"\bfn\s+main\s*\(\s*\)")]
    private static partial Regex RustMain();

    [GeneratedRegex(@"#\[test\](?:\s|//[^\n]*)*fn\s+(\w+)")]
    private static partial Regex RustTestFunction();

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex RustComment();

    [GeneratedRegex(@"#\[cfg\(test\)\]")]
    private static partial Regex RustCfgTest();

    [GeneratedRegex(@"\bmod\s+(\w+)\s*\{")]
    private static partial Regex RustModule();

    [GeneratedRegex(@"^[ \t]*use\s+(rand::Rng|regex::Regex|md5)\s*;[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex RustCrateImport();

    /// <summary>
    /// Rust programs are built as one binary with plain rustc (no cargo, no crate registry). Tests as
    /// `#[cfg(test)] mod tests { #[test] fn ... }` (HumanEval-X, which runs `cargo test`) are called in order
    /// from a generated main: the same functions, one thread, a panic fails the run. A test program with its own
    /// main (MultiPL-E) gets that main renamed and called. HumanEval-X's declarations import three crates
    /// (rand, regex, md5); their imports are replaced by small stand-ins for what the solutions use.
    /// </summary>
    private static string Rust(string program, string testProgram)
    {
        var ownMain = RustMain().Match(testProgram);
        var calls = new StringBuilder();
        string tests;
        if (ownMain.Success)
        {
            tests = testProgram[..ownMain.Index] + "fn assay_tests_main()" + testProgram[(ownMain.Index + ownMain.Length)..];
            calls.Append("    assay_tests_main();\n");
        }
        else
        {
            // Tests are found in the code, not in comments: HumanEval-X's Rust/32 comments its whole test module
            // out, so (as under cargo test) it has no tests to run.
            var code = RustComment().Replace(testProgram, " ");
            var module = RustModule().Match(code);
            var first = RustTestFunction().Match(code);
            var prefix = module.Success && first.Success && module.Index < first.Index ? module.Groups[1].Value + "::" : "";
            foreach (Match test in RustTestFunction().Matches(code)) calls.Append("    ").Append(prefix).Append(test.Groups[1].Value).Append("();\n");
            tests = RustTestFunction().Replace(RustCfgTest().Replace(testProgram, ""), "pub fn $1");
        }
        var source = program + "\n" + tests;
        var crates = new StringBuilder();
        foreach (var crate in RustCrateImport().Matches(source).Select(m => m.Groups[1].Value).Distinct())
        {
            crates.Append(crate switch
            {
                "rand::Rng" => RustRand + "#[allow(unused_imports)]\nuse rand::Rng;\n",
                "regex::Regex" => RustRegex + "#[allow(unused_imports)]\nuse regex::Regex;\n",
                _ => RustMd5,
            });
        }
        source = RustCrateImport().Replace(source, "");
        return source + "\n" + crates +
            "\nfn main() {\n" +
            // The nonce is read before the tests call any of the candidate's code (Rust runs nothing before main).
            "    use std::io::{Read as _, Write as _};\n" +
            "    let mut assay_nonce = String::new();\n" +
            "    let _ = std::io::stdin().read_to_string(&mut assay_nonce);\n" + calls +
            "    let _ = std::io::stdout().flush();\n" +
            "    print!(\"\\n" + Marker + "{}\\n\", assay_nonce.trim());\n" +
            "    let _ = std::io::stdout().flush();\n" +
            "}\n";
    }

    /// <summary>
    /// The part of the rand crate (0.7) HumanEval-X's tests use: `thread_rng()` with `gen()` and
    /// `gen_range(low, high)`, and `random()`; a xorshift generator seeded from the clock.
    /// </summary>
    private const string RustRand =
        """
        #[allow(dead_code)]
        mod rand {
            use std::cell::Cell;
            pub trait Rng {}
            thread_local!(static STATE: Cell<u64> = Cell::new(0x9E37_79B9_7F4A_7C15 ^ std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1));
            fn next() -> u64 {
                STATE.with(|s| { let mut x = s.get(); x ^= x << 13; x ^= x >> 7; x ^= x << 17; s.set(x); x })
            }
            pub trait FromRandom { fn from_random(x: u64) -> Self; }
            macro_rules! ints { ($($t:ty),*) => { $(impl FromRandom for $t { fn from_random(x: u64) -> Self { x as $t } })* } }
            ints!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
            impl FromRandom for f64 { fn from_random(x: u64) -> Self { (x >> 11) as f64 / (1u64 << 53) as f64 } }
            impl FromRandom for f32 { fn from_random(x: u64) -> Self { (x >> 40) as f32 / (1u64 << 24) as f32 } }
            impl FromRandom for bool { fn from_random(x: u64) -> Self { x & 1 == 1 } }
            pub trait SampleRange: Sized { fn sample(low: Self, high: Self, x: u64) -> Self; }
            macro_rules! ranges { ($($t:ty),*) => { $(impl SampleRange for $t {
                fn sample(low: Self, high: Self, x: u64) -> Self {
                    if high <= low { low } else { (low as i128 + (x as i128).rem_euclid(high as i128 - low as i128)) as $t }
                }
            })* } }
            ranges!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
            impl SampleRange for f64 { fn sample(low: Self, high: Self, x: u64) -> Self { low + (high - low) * f64::from_random(x) } }
            pub struct ThreadRng;
            impl ThreadRng {
                pub fn gen<T: FromRandom>(&mut self) -> T { T::from_random(next()) }
                pub fn gen_range<T: SampleRange>(&mut self, low: T, high: T) -> T { T::sample(low, high, next()) }
            }
            pub fn thread_rng() -> ThreadRng { ThreadRng }
            pub fn random<T: FromRandom>() -> T { T::from_random(next()) }
        }

        """;

    /// <summary>The md5 crate's `compute` and its digest's `{:x}` formatting (RFC 1321).</summary>
    private const string RustMd5 =
        """
        #[allow(dead_code)]
        mod md5 {
            pub struct Digest(pub [u8; 16]);
            impl std::fmt::LowerHex for Digest {
                fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    for b in self.0.iter() { write!(f, "{:02x}", b)?; }
                    Ok(())
                }
            }
            impl std::fmt::Debug for Digest {
                fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { std::fmt::LowerHex::fmt(self, f) }
            }
            pub fn compute<T: AsRef<[u8]>>(data: T) -> Digest {
                const S: [u32; 64] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
                let data = data.as_ref();
                let k: Vec<u32> = (0..64).map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32).collect();
                let mut h: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
                let mut message = data.to_vec();
                message.push(0x80);
                while message.len() % 64 != 56 { message.push(0); }
                message.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_le_bytes());
                for chunk in message.chunks(64) {
                    let m: Vec<u32> = (0..16).map(|i| u32::from_le_bytes([chunk[4 * i], chunk[4 * i + 1], chunk[4 * i + 2], chunk[4 * i + 3]])).collect();
                    let (mut a, mut b, mut c, mut d) = (h[0], h[1], h[2], h[3]);
                    for i in 0..64 {
                        let (f, g) = match i / 16 {
                            0 => ((b & c) | (!b & d), i),
                            1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                            2 => (b ^ c ^ d, (3 * i + 5) % 16),
                            _ => (c ^ (b | !d), (7 * i) % 16),
                        };
                        let sum = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
                        a = d;
                        d = c;
                        c = b;
                        b = b.wrapping_add(sum.rotate_left(S[i]));
                    }
                    h[0] = h[0].wrapping_add(a);
                    h[1] = h[1].wrapping_add(b);
                    h[2] = h[2].wrapping_add(c);
                    h[3] = h[3].wrapping_add(d);
                }
                let mut out = [0u8; 16];
                for (i, word) in h.iter().enumerate() { out[4 * i..4 * i + 4].copy_from_slice(&word.to_le_bytes()); }
                Digest(out)
            }
        }

        """;

    /// <summary>
    /// A small backtracking stand-in for the regex crate: literals, `.`, classes (`[a-z]`, `[^...]`, `\s \d \w`
    /// and their negations), `^`, `$` and the quantifiers `* + ?` (greedy). Enough for what HumanEval-X's
    /// solutions use; anything else fails to parse, as an unsupported pattern.
    /// </summary>
    private const string RustRegex =
        """
        #[allow(dead_code)]
        mod regex {
            #[derive(Clone, Debug)]
            enum Atom { Any, Set(Vec<(char, char)>, bool), Start, End }
            #[derive(Clone, Debug)]
            struct Piece { atom: Atom, min: usize, max: usize }
            #[derive(Clone, Debug)]
            pub struct Regex { pieces: Vec<Piece> }
            #[derive(Debug)]
            pub struct Error(String);
            impl std::fmt::Display for Error {
                fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { write!(f, "{}", self.0) }
            }
            pub struct Match<'t> { text: &'t str, start: usize, end: usize }
            impl<'t> Match<'t> {
                pub fn as_str(&self) -> &'t str { &self.text[self.start..self.end] }
                pub fn start(&self) -> usize { self.start }
                pub fn end(&self) -> usize { self.end }
            }
            fn class(c: char) -> Option<(Vec<(char, char)>, bool)> {
                let space = vec![(' ', ' '), ('\t', '\r')];
                let digit = vec![('0', '9')];
                let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
                match c {
                    's' => Some((space, false)), 'S' => Some((space, true)),
                    'd' => Some((digit, false)), 'D' => Some((digit, true)),
                    'w' => Some((word, false)), 'W' => Some((word, true)),
                    _ => None,
                }
            }
            fn escaped(c: char) -> char { match c { 'n' => '\n', 't' => '\t', 'r' => '\r', other => other } }
            impl Regex {
                pub fn new(pattern: &str) -> Result<Regex, Error> {
                    let chars: Vec<char> = pattern.chars().collect();
                    let mut pieces: Vec<Piece> = Vec::new();
                    let mut i = 0;
                    while i < chars.len() {
                        let c = chars[i];
                        i += 1;
                        let atom = match c {
                            '.' => Atom::Any,
                            '^' => Atom::Start,
                            '$' => Atom::End,
                            '*' | '+' | '?' => {
                                let last = pieces.last_mut().ok_or_else(|| Error("quantifier without atom".into()))?;
                                match c { '*' => { last.min = 0; last.max = usize::MAX } '+' => { last.max = usize::MAX } _ => { last.min = 0 } }
                                continue;
                            }
                            '\\' => {
                                let e = *chars.get(i).ok_or_else(|| Error("trailing backslash".into()))?;
                                i += 1;
                                match class(e) { Some((ranges, negated)) => Atom::Set(ranges, negated), None => { let l = escaped(e); Atom::Set(vec![(l, l)], false) } }
                            }
                            '[' => {
                                let mut ranges = Vec::new();
                                let mut negated = false;
                                if chars.get(i) == Some(&'^') { negated = true; i += 1; }
                                let mut first = true;
                                loop {
                                    let d = *chars.get(i).ok_or_else(|| Error("unclosed class".into()))?;
                                    i += 1;
                                    if d == ']' && !first { break; }
                                    first = false;
                                    let lo = if d == '\\' {
                                        let e = *chars.get(i).ok_or_else(|| Error("trailing backslash".into()))?;
                                        i += 1;
                                        if let Some((mut r, false)) = class(e) { ranges.append(&mut r); continue; }
                                        escaped(e)
                                    } else { d };
                                    if chars.get(i) == Some(&'-') && chars.get(i + 1).map_or(false, |&n| n != ']') {
                                        ranges.push((lo, chars[i + 1]));
                                        i += 2;
                                    } else {
                                        ranges.push((lo, lo));
                                    }
                                }
                                Atom::Set(ranges, negated)
                            }
                            '(' | ')' | '|' | '{' | '}' => return Err(Error(format!("unsupported regex syntax: {}", c))),
                            literal => Atom::Set(vec![(literal, literal)], false),
                        };
                        pieces.push(Piece { atom, min: 1, max: 1 });
                    }
                    Ok(Regex { pieces })
                }
                fn one(atom: &Atom, text: &[char], at: usize) -> bool {
                    match atom {
                        Atom::Any => at < text.len() && text[at] != '\n',
                        Atom::Set(ranges, negated) => at < text.len() && (ranges.iter().any(|&(lo, hi)| lo <= text[at] && text[at] <= hi) != *negated),
                        _ => false,
                    }
                }
                fn match_here(&self, p: usize, text: &[char], at: usize) -> Option<usize> {
                    if p == self.pieces.len() { return Some(at); }
                    let piece = &self.pieces[p];
                    match piece.atom {
                        Atom::Start => return if at == 0 { self.match_here(p + 1, text, at) } else { None },
                        Atom::End => return if at == text.len() { self.match_here(p + 1, text, at) } else { None },
                        _ => {}
                    }
                    let mut count = 0;
                    while count < piece.max && Self::one(&piece.atom, text, at + count) { count += 1; }
                    loop {
                        if count >= piece.min {
                            if let Some(end) = self.match_here(p + 1, text, at + count) { return Some(end); }
                        }
                        if count == 0 || count <= piece.min { return None; }
                        count -= 1;
                    }
                }
                fn find_chars(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
                    (from..=text.len()).find_map(|s| self.match_here(0, text, s).map(|e| (s, e)))
                }
                fn byte_offsets(text: &str) -> Vec<usize> {
                    let mut offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
                    offsets.push(text.len());
                    offsets
                }
                pub fn find_iter<'t>(&self, text: &'t str) -> std::vec::IntoIter<Match<'t>> {
                    let chars: Vec<char> = text.chars().collect();
                    let offsets = Self::byte_offsets(text);
                    let mut found = Vec::new();
                    let mut from = 0;
                    while from <= chars.len() {
                        match self.find_chars(&chars, from) {
                            Some((s, e)) => {
                                found.push(Match { text, start: offsets[s], end: offsets[e] });
                                from = if e > s { e } else { e + 1 };
                            }
                            None => break,
                        }
                    }
                    found.into_iter()
                }
                pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> { self.find_iter(text).next() }
                pub fn is_match(&self, text: &str) -> bool { self.find(text).is_some() }
                pub fn split<'t>(&self, text: &'t str) -> std::vec::IntoIter<&'t str> {
                    let mut parts = Vec::new();
                    let mut last = 0;
                    for m in self.find_iter(text) {
                        if m.end == m.start && m.start == 0 { continue; }
                        parts.push(&text[last..m.start]);
                        last = m.end;
                    }
                    parts.push(&text[last..]);
                    parts.into_iter()
                }
                pub fn replace_all(&self, text: &str, replacement: &str) -> String {
                    let mut out = String::new();
                    let mut last = 0;
                    for m in self.find_iter(text) {
                        out.push_str(&text[last..m.start]);
                        out.push_str(replacement);
                        last = m.end;
                    }
                    out.push_str(&text[last..]);
                    out
                }
            }
        }

        """;
}
