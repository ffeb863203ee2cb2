//! The dependency rule of `src/lib.rs` kept (issue 21, "layers one way"): data flows read ->
//! locate -> look up -> compute -> write, and no module reaches back up the chain. These tests
//! read the library's sources and fail when a lower layer names a higher one, when a module
//! adds methods to another module's type, or when a default shared by layers lives outside
//! `defaults`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the library and its layer, lowest first. A module may name its own
/// layer and those below it, never one above. Keep in step with the rule in `src/lib.rs`.
const LAYERS: [(&str, u8); 22] = [
    // The foundation every layer may use: errors, the energy sources, months, the miner
    // catalogue and the defaults with their sources.
    ("error", 0),
    ("source", 0),
    ("months", 0),
    ("miners", 0),
    ("defaults", 0),
    ("round", 0),
    ("sites", 1),
    ("regions", 2),
    ("grid", 3),
    ("assess", 4),
    ("uncertainty", 4),
    ("risk", 4),
    ("scope", 4),
    // One row (or one region) through locate, look up and compute.
    ("pipeline", 5),
    // Write: the column table and the formats; compare writes regions through that table.
    ("output", 6),
    ("compare", 6),
    // Run a whole input: the streaming engine, and the report that runs it.
    ("stream", 7),
    ("report", 7),
    // MiCA indicators: a whole network's regions through the assessor, and their writers.
    ("mica", 7),
    // The command line on top.
    ("cli", 8),
    ("settings", 8),
    ("commands", 8),
];

/// Exceptions to the rule, each with its reason: (module, the module it names). None today.
const EXCEPTIONS: [(&str, &str); 0] = [];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted, but a module's unit tests in a file of their own
/// (`tests.rs`), which may reach up as the tests at the bottom of a file may.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level module a source file belongs to (`src/grid/data.rs` -> `grid`); `None` for
/// `lib.rs` and `main.rs`, which sit above every layer.
fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// A file's code without comments and without its unit tests (at the bottom of the file,
/// after `#[cfg(test)]`): tests may build the whole pipeline to check one module.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let line = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// The top-level modules a piece of code names: `crate::x` paths and `use crate::{x, y}`.
fn modules_named(code: &str) -> BTreeSet<String> {
    let word = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut named = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            named.extend(group.split(',').map(|item| word(item.trim())));
        } else {
            named.insert(word(rest));
        }
    }
    named.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_lowercase()));
    named
}

/// Each library file's module and code.
fn library() -> Vec<(PathBuf, String, String)> {
    rust_files(&src())
        .into_iter()
        .filter_map(|path| {
            let module = module_of(&path)?;
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            Some((path, module, code))
        })
        .collect()
}

fn layer(module: &str) -> u8 {
    let found = LAYERS.iter().find(|(m, _)| *m == module);
    found
        .unwrap_or_else(|| panic!("module {module} has no layer in LAYERS (tests/cli/layers.rs)"))
        .1
}

/// The breaches of the rule in a set of files: (file, module, the higher module it names).
fn breaches(files: &[(PathBuf, String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, module, code) in files {
        for named in modules_named(code) {
            if LAYERS.iter().all(|(m, _)| *m != named) || EXCEPTIONS.contains(&(module.as_str(), named.as_str())) {
                continue;
            }
            if layer(&named) > layer(module) {
                found.push(format!("{}: {module} names {named}", path.display()));
            }
        }
    }
    found
}

#[test]
fn every_library_module_has_a_layer() {
    let modules: BTreeSet<String> = library().into_iter().map(|(_, m, _)| m).collect();
    for module in modules {
        layer(&module);
    }
}

#[test]
fn no_module_names_a_module_of_a_higher_layer() {
    let found = breaches(&library());
    assert!(found.is_empty(), "lower layers reach up:\n{}", found.join("\n"));
}

#[test]
fn the_check_catches_a_lower_layer_that_names_a_higher_one() {
    // The rule's own check: sites naming the grid, or grid naming output in a brace group,
    // is caught; a comment or a unit test naming them is not code of the layer.
    let file = |module: &str, code: &str| (PathBuf::from(module), module.to_string(), code_of(code));
    let files = [
        file("sites", "use crate::grid::GridData;\n"),
        file("grid", "use crate::{months, output::round};\n"),
        file(
            "regions",
            "// see crate::report\n#[cfg(test)]\nmod tests { use crate::pipeline::Assessor; }\n",
        ),
    ];
    assert_eq!(breaches(&files), ["sites: sites names grid", "grid: grid names output"]);
}

#[test]
fn no_module_adds_methods_to_another_modules_type() {
    // Issue 21: compare added `impl Assessor` from outside pipeline; a type's methods live
    // with the type, and other modules use its public API.
    let mut defined: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = library();
    for (_, module, code) in &files {
        for line in code.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            for pair in words.windows(2) {
                if matches!(pair[0], "struct" | "enum" | "type" | "trait") {
                    let name: String = pair[1]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    defined.entry(module.clone()).or_default().insert(name);
                }
            }
        }
    }
    let mut found = Vec::new();
    for (path, module, code) in &files {
        for line in code.lines().map(str::trim_start) {
            let Some(rest) = line.strip_prefix("impl") else {
                continue;
            };
            if line.contains(" for ") || !(rest.starts_with(' ') || rest.starts_with('<')) {
                continue;
            }
            let rest = if rest.starts_with('<') {
                &rest[rest.find('>').map_or(0, |i| i + 1)..]
            } else {
                rest
            };
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !defined.get(module).is_some_and(|names| names.contains(&name)) {
                found.push(format!("{}: impl {name}", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "methods added from outside the type's module:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_default_that_several_library_layers_use_lives_in_defaults() {
    // Issue 21: uncertainty took DEFAULT_PUE and DEFAULT_UPTIME from sites, settings and
    // backtest took DEFAULT_EFFICIENCY_J_PER_TH from compare.
    let files = library();
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut declared_in: BTreeMap<String, String> = BTreeMap::new();
    for (_, module, code) in &files {
        for (i, _) in code.match_indices("DEFAULT_") {
            let name: String = code[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if code[..i].ends_with("const ") {
                declared_in.insert(name.clone(), module.clone());
            }
            if layer(module) < layer("cli") {
                users.entry(name).or_default().insert(module.clone());
            }
        }
    }
    let found: Vec<String> = users
        .iter()
        .filter(|(name, modules)| modules.len() > 1 && declared_in.get(*name).is_some_and(|m| m != "defaults"))
        .map(|(name, modules)| format!("{name} (used by {modules:?})"))
        .collect();
    assert!(
        found.is_empty(),
        "shared defaults outside src/defaults.rs: {}",
        found.join(", ")
    );
    for name in ["DEFAULT_PUE", "DEFAULT_UPTIME", "DEFAULT_EFFICIENCY_J_PER_TH"] {
        assert_eq!(declared_in.get(name).map(String::as_str), Some("defaults"), "{name}");
    }
}

#[test]
fn uncertainty_risk_and_backtest_take_nothing_from_sites() {
    // Issue 21: the intervals, the risk model and the backtest take typed values; their
    // defaults come from `defaults`, not from the reader of sites.
    for (path, module, code) in library() {
        let backtest = path.file_name().is_some_and(|f| f == "backtest.rs");
        if module == "uncertainty" || module == "risk" || backtest {
            assert!(
                !modules_named(&code).contains("sites"),
                "{} names sites",
                path.display()
            );
        }
    }
}

#[test]
fn backtest_scores_risk_without_a_reference_machine() {
    // Issue 21: backtest scored each region through `compare` with a dummy machine (the
    // default efficiency and PUE); it asks the risk model for the region's risk instead.
    let code = code_of(&std::fs::read_to_string(src().join("commands/backtest.rs")).unwrap());
    for banned in ["DEFAULT_EFFICIENCY_J_PER_TH", "DEFAULT_PUE", "compare("] {
        assert!(!code.contains(banned), "commands/backtest.rs uses {banned}");
    }
    assert!(
        code.contains("risk_of("),
        "commands/backtest.rs scores through the risk model"
    );
}

#[test]
fn the_report_map_draws_from_prepared_layers_alone() {
    // Issue 21: the map re-ran grid lookups through the assessor's public fields while
    // drawing; the report now prepares the region shapes and intensities once
    // (report/map_layers.rs), and the drawing looks nothing up.
    let code = code_of(&std::fs::read_to_string(src().join("report/map.rs")).unwrap());
    let named = modules_named(&code);
    assert!(named.is_empty(), "report/map.rs names {named:?}");
    assert!(!code.contains("Assessor"), "report/map.rs takes the assessor");
}
