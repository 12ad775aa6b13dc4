//! The app's one build, shared by `cargo xtask run`, `test` and `bench`: what they serve is what
//! ships. It replaces `trunk build --release`, which cannot split the wasm (trunk-rs/trunk#1022):
//!
//! 1. `cargo rustc` the app for wasm32 with the `split` feature and the `wasm-release` profile,
//!    linking with `--emit-relocs` so that the next step can move code between modules;
//! 2. the split (`wasm_split_cli_support`, as a library): the lazily loaded parts of
//!    `src/lazy/parts.rs` and the code only they reach go into `split_<module>.wasm` (one per
//!    module name the split points give; the dialogs share one), code that several modules share
//!    into `chunk_<n>.wasm`, and a loader, `__wasm_split.js`, that fetches them;
//! 3. `wasm-bindgen --target web --keep-lld-exports` on the main module only (the split modules reach
//!    the main module's memory, table and functions through the exports it keeps);
//! 4. `wasm-opt -Oz` on every module;
//! 5. content-hashed names, index.html with the start-up script and preloads, the stylesheet, and a
//!    quality-11 brotli `.br` beside each JS, wasm and CSS file. The JS glue, the loader, the
//!    inlined start-up script and the stylesheet are minified by esbuild (pinned, so the same
//!    input gives the same bytes): about 4.7 KB brotli less in the first load when it came in.
//!
//! Everything is written to a staging folder and moved into dist/ at the end. Same sources, same
//! bytes: no step reads the clock or a random number (two builds around a `cargo clean -p app` gave
//! identical files; docs/toolchain-split.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256, Sha384};

use crate::error::Error;
use crate::paths;
use crate::process::{self, command};
use crate::toolchain::WASM_TARGET;

/// The Cargo profile of the shipped wasm (Cargo.toml: opt-level z, fat LTO, one codegen unit,
/// panic = abort).
const PROFILE: &str = "wasm-release";
/// The features wasm-opt may use: those rustc 1.95 enables for wasm32 by default. Every module
/// carries the linked module's target-features section (the split copies it), which wasm-opt
/// reads; they are named as well, so that all modules are optimised for the same features
/// whatever a tool leaves out.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];
/// The loader's name as the split writes it and the main module imports it.
const LOADER: &str = "__wasm_split.js";
/// The JS glue's name as wasm-bindgen writes it; the loader imports `initSync` from it.
const GLUE: &str = "app.js";
const MAIN_WASM: &str = "app_bg.wasm";

/// Builds the app into dist/ and prints what each file weighs.
pub fn build() -> Result<(), Error> {
    let stage = paths::xtask_dir().join("app-build");
    clear_dir(&stage)?;
    let split_dir = stage.join("split");
    let out = stage.join("dist");
    for dir in [&split_dir, &out] {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    }

    let linked = cargo_build()?;
    let modules = split(&linked, &split_dir)?;
    bindgen(&split_dir.join("main.wasm"), &split_dir)?;
    // The main module first: it takes longest, and the small ones fill the other cores meanwhile.
    let mut optimised = vec![split_dir.join(MAIN_WASM)];
    optimised.extend(modules.iter().map(|name| split_dir.join(name)));
    wasm_opt_all(&optimised)?;
    assemble(&split_dir, &modules, &out)?;
    precompress(&out)?;
    install(&out, &paths::dist_dir())?;
    let files = sizes(&paths::dist_dir())?;
    println!("xtask: the app in {}:", paths::dist_dir().display());
    for (name, (raw, brotli)) in &files {
        println!("  {name:<48} {raw:>9} bytes, {brotli:>7} brotli");
    }
    Ok(())
}

/// `cargo rustc` of the app's binary: the `split` feature on, `--emit-relocs` for the final link
/// only (the dependencies keep their cached builds and the workspace's flags).
fn cargo_build() -> Result<PathBuf, Error> {
    let mut cargo = command("cargo");
    cargo
        .args([
            "rustc",
            "-p",
            "app",
            "--bin",
            "app",
            "--target",
            WASM_TARGET,
            "--profile",
            PROFILE,
            "--features",
            "split",
            "--",
            "-C",
            "link-arg=--emit-relocs",
        ])
        // The environment may set it to 1, which makes a failed build script's output pages long.
        .env("RUST_BACKTRACE", "0");
    process::run_ok(&mut cargo, "cargo rustc (the app for wasm)")?;
    Ok(paths::target_dir()
        .join(WASM_TARGET)
        .join(PROFILE)
        .join("app.wasm"))
}

/// Cuts the linked module at its split points. Returns the names of the split and chunk modules.
fn split(linked: &Path, dir: &Path) -> Result<Vec<String>, Error> {
    println!(
        "xtask: splitting {} into lazily loaded modules",
        linked.display()
    );
    let input =
        std::fs::read(linked).map_err(|e| Error::io(format!("reading {}", linked.display()), e))?;
    let main = dir.join("main.wasm");
    let main_module = format!("./{GLUE}");
    let link_name = format!("./{LOADER}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input);
        options.output_dir = dir;
        options.main_out_path = &main;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|e| Error::Project(format!("splitting the wasm failed: {e:?}")))?;
    let mut names: Vec<String> = split
        .split_modules
        .iter()
        .filter_map(|path| path.file_name()?.to_str().map(str::to_owned))
        .collect();
    names.sort();
    if !names.iter().any(|name| name.starts_with("split_")) {
        return Err(Error::Project(
            "the split found no lazily loaded part; was the app built with `--features split`?"
                .into(),
        ));
    }
    Ok(names)
}

fn bindgen(main: &Path, dir: &Path) -> Result<(), Error> {
    let mut bindgen = command("wasm-bindgen");
    bindgen
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
            "--out-name",
            "app",
            "--out-dir",
        ])
        .arg(dir)
        .arg(main);
    process::run_ok(&mut bindgen, "wasm-bindgen")
}

/// `wasm-opt -Oz` on each module in place, as many at a time as there are cores. Each one's output
/// is shown only when it fails (binaryen warns about every module's name section otherwise).
fn wasm_opt_all(modules: &[PathBuf]) -> Result<(), Error> {
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    println!(
        "xtask: wasm-opt -Oz on {} modules, {jobs} at a time",
        modules.len()
    );
    let mut waiting = modules.iter();
    let mut running: Vec<(std::process::Child, &PathBuf)> = Vec::new();
    loop {
        while running.len() < jobs {
            let Some(wasm) = waiting.next() else { break };
            let mut opt = command("wasm-opt");
            opt.arg("-Oz")
                .args(WASM_FEATURES)
                .arg(wasm)
                .arg("-o")
                .arg(wasm)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let child = opt.spawn().map_err(|e| {
                Error::io(format!("could not start `{}`", process::describe(&opt)), e)
            })?;
            running.push((child, wasm));
        }
        if running.is_empty() {
            return Ok(());
        }
        let finished = loop {
            let mut done = None;
            for (index, (child, wasm)) in running.iter_mut().enumerate() {
                let exited = child.try_wait().map_err(|e| {
                    Error::io(format!("waiting for wasm-opt on {}", wasm.display()), e)
                })?;
                if exited.is_some() {
                    done = Some(index);
                    break;
                }
            }
            match done {
                Some(index) => break index,
                None => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        };
        let (child, wasm) = running.remove(finished);
        let output = child
            .wait_with_output()
            .map_err(|e| Error::io(format!("waiting for wasm-opt on {}", wasm.display()), e))?;
        if !output.status.success() {
            println!("{}", String::from_utf8_lossy(&output.stdout));
            println!("{}", String::from_utf8_lossy(&output.stderr));
            return Err(Error::Failed {
                step: format!("wasm-opt on {}", wasm.display()),
                status: output.status,
            });
        }
    }
}

/// The first 16 hex digits of the content's SHA-256: the name's part that changes with it.
fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize()[..8]
        .iter()
        .fold(String::new(), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// Subresource integrity of a file, as in `integrity="sha384-…"`.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(Sha384::digest(bytes)))
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

/// Replaces every quoted relative reference `"./from"` (or with single quotes) that follows
/// `context` in `text` by `to`: `from ` for an import, `URL(` for a fetched file. Only those: the
/// glue also names the loader as the key of the wasm's imports, which must stay. Fails when there
/// is none, since a rename that finds nothing to rename means a tool changed what it writes.
fn rename_refs(
    text: &str,
    context: &str,
    from: &str,
    to: &str,
    what: &str,
) -> Result<String, Error> {
    let mut renamed = text.to_owned();
    for quote in ['"', '\''] {
        renamed = renamed.replace(
            &format!("{context}{quote}./{from}{quote}"),
            &format!("{context}{quote}./{to}{quote}"),
        );
    }
    if renamed == text {
        return Err(Error::Project(format!(
            "{what} does not mention {context}\"./{from}\""
        )));
    }
    Ok(renamed)
}

/// Names every file by its content and writes them, index.html and the stylesheet into `out`.
///
/// The split and chunk modules are named first, by their own bytes; the loader names them. The
/// glue and the loader import each other, so they share one name's hash, made of both.
fn assemble(dir: &Path, modules: &[String], out: &Path) -> Result<(), Error> {
    let mut loader = String::from_utf8(read(&dir.join(LOADER))?)
        .map_err(|e| Error::Project(format!("{LOADER} is not UTF-8: {e}")))?;
    for module in modules {
        let bytes = read(&dir.join(module))?;
        let stem = module.trim_end_matches(".wasm");
        let named = format!("{stem}-{}.wasm", short_hash(&[&bytes]));
        loader = rename_refs(&loader, "URL(", module, &named, LOADER)?;
        write(&out.join(&named), &bytes)?;
    }

    let wasm = read(&dir.join(MAIN_WASM))?;
    let wasm_name = format!("app-{}_bg.wasm", short_hash(&[&wasm]));
    write(&out.join(&wasm_name), &wasm)?;

    let glue = String::from_utf8(read(&dir.join(GLUE))?)
        .map_err(|e| Error::Project(format!("{GLUE} is not UTF-8: {e}")))?;
    // The glue's default path to the wasm (index.html gives it anyway).
    let glue = glue.replace(&format!("'{MAIN_WASM}'"), &format!("'{wasm_name}'"));
    let pair = short_hash(&[glue.as_bytes(), loader.as_bytes()]);
    let glue_name = format!("app-{pair}.js");
    let loader_name = format!("app-{pair}_split.js");
    let glue = minify(
        &rename_refs(&glue, "from ", LOADER, &loader_name, GLUE)?,
        Source::Js,
        GLUE,
    )?;
    let loader = minify(
        &rename_refs(&loader, "from ", GLUE, &glue_name, LOADER)?,
        Source::Js,
        LOADER,
    )?;
    write(&out.join(&glue_name), glue.as_bytes())?;
    write(&out.join(&loader_name), loader.as_bytes())?;

    let css_source = paths::repo_root().join("style").join("main.css");
    let css = minify(
        &String::from_utf8(read(&css_source)?)
            .map_err(|e| Error::Project(format!("{} is not UTF-8: {e}", css_source.display())))?,
        Source::Css,
        "style/main.css",
    )?
    .into_bytes();
    let css_name = format!("main-{}.css", short_hash(&[&css]));
    write(&out.join(&css_name), &css)?;

    let template_path = paths::repo_root().join("index.html");
    let template = String::from_utf8(read(&template_path)?)
        .map_err(|e| Error::Project(format!("index.html is not UTF-8: {e}")))?;
    let html = index_html(
        &template,
        &Names {
            css: &css_name,
            css_integrity: &integrity(&css),
            glue: &glue_name,
            glue_integrity: &integrity(glue.as_bytes()),
            loader: &loader_name,
            loader_integrity: &integrity(loader.as_bytes()),
            wasm: &wasm_name,
        },
        |href| {
            let path = paths::repo_root().join(href);
            let text = String::from_utf8(read(&path)?)
                .map_err(|e| Error::Project(format!("{} is not UTF-8: {e}", path.display())))?;
            let source = if href.ends_with(".css") {
                Source::Css
            } else {
                Source::Js
            };
            minify(&text, source, href)
        },
    )?;
    write(&out.join("index.html"), html.as_bytes())
}

/// What esbuild is given to minify.
#[derive(Clone, Copy)]
enum Source {
    Js,
    Css,
}

/// `text` minified by esbuild, through its stdin and stdout. No `--format`: a module stays a module
/// and a classic script stays one, with its top-level names. wasm-bindgen's glue repeats a key in
/// its imports object (each split point names the loader again; the last one is the one JS keeps,
/// and esbuild keeps them all, in order), so that one warning is silenced; any other is shown.
fn minify(text: &str, source: Source, what: &str) -> Result<String, Error> {
    use std::io::Write as _;
    let loader = match source {
        Source::Js => "--loader=js",
        Source::Css => "--loader=css",
    };
    let mut esbuild = command("esbuild");
    esbuild
        .args([
            "--minify",
            loader,
            "--charset=utf8",
            "--log-level=warning",
            "--log-override:duplicate-object-key=silent",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = esbuild
        .spawn()
        .map_err(|e| Error::io(format!("starting esbuild to minify {what}"), e))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Error::Project("esbuild's stdin was not piped".into()))?;
    // Written from another thread: esbuild may fill its stdout before it has read all of stdin.
    let input = text.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| Error::io(format!("waiting for esbuild on {what}"), e))?;
    writer
        .join()
        .map_err(|_| Error::Project(format!("writing {what} to esbuild panicked")))?
        .map_err(|e| Error::io(format!("writing {what} to esbuild"), e))?;
    if !output.status.success() {
        return Err(Error::Project(format!(
            "esbuild could not minify {what} ({})",
            output.status
        )));
    }
    String::from_utf8(output.stdout)
        .map_err(|e| Error::Project(format!("esbuild's output for {what} is not UTF-8: {e}")))
}

/// The files index.html names.
struct Names<'a> {
    css: &'a str,
    css_integrity: &'a str,
    glue: &'a str,
    glue_integrity: &'a str,
    loader: &'a str,
    loader_integrity: &'a str,
    wasm: &'a str,
}

/// index.html keeps Trunk's links, which say where things go; each is replaced by what Trunk wrote
/// in its place, and everything else in the page stays as it is:
/// - `rel="css"`: the hashed stylesheet, with its integrity;
/// - `rel="rust"`: the start-up script and the preloads of the glue, the loader and the wasm;
/// - `rel="inline"` (`type="js"`, `"module"` or `"css"`): the file's content in a `<script>`,
///   `<script type="module">` or `<style>` (boot.js; the server allows an inline script by its hash).
fn index_html(
    template: &str,
    names: &Names,
    file: impl Fn(&str) -> Result<String, Error>,
) -> Result<String, Error> {
    let mut html = String::with_capacity(template.len() + 4096);
    let mut rest = template;
    let (mut css, mut rust) = (false, false);
    while let Some(start) = rest.find("<link data-trunk") {
        html.push_str(&rest[..start]);
        let end = rest[start..]
            .find('>')
            .ok_or_else(|| Error::Project("index.html has an unclosed <link>".into()))?;
        let link = &rest[start..=start + end];
        rest = &rest[start + end + 1..];
        match attribute(link, "rel") {
            Some("css") => {
                css = true;
                let _ = write!(
                    html,
                    "<link rel=\"stylesheet\" href=\"/{}\" integrity=\"{}\"/>",
                    names.css, names.css_integrity
                );
            }
            Some("rust") => {
                rust = true;
                // The glue imports the loader at once, so both are preloaded, with the wasm,
                // before the start-up script asks for them; the split modules come later.
                let _ = write!(
                    html,
                    "<script type=\"module\">\nimport init from '/{glue}';\nawait init({{ module_or_path: '/{wasm}' }});\n</script>\n    \
                     <link rel=\"modulepreload\" href=\"/{glue}\" crossorigin=\"anonymous\" integrity=\"{glue_integrity}\">\n    \
                     <link rel=\"modulepreload\" href=\"/{loader}\" crossorigin=\"anonymous\" integrity=\"{loader_integrity}\">\n    \
                     <link rel=\"preload\" href=\"/{wasm}\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">",
                    glue = names.glue,
                    wasm = names.wasm,
                    loader = names.loader,
                    glue_integrity = names.glue_integrity,
                    loader_integrity = names.loader_integrity,
                );
            }
            Some("inline") => {
                let href = attribute(link, "href").ok_or_else(|| {
                    Error::Project(format!("index.html: {link} names no file (href)"))
                })?;
                let content = file(href)?;
                let (open, close) = match attribute(link, "type") {
                    Some("js") => ("<script>", "</script>"),
                    Some("module" | "mjs") => ("<script type=\"module\">", "</script>"),
                    Some("css") => ("<style>", "</style>"),
                    other => {
                        return Err(Error::Project(format!(
                            "index.html: {link} has the type {other:?}; the build inlines js, module and css"
                        )));
                    }
                };
                html.push_str(open);
                html.push_str(&content);
                html.push_str(close);
            }
            other => {
                return Err(Error::Project(format!(
                    "index.html: {link} has rel {other:?}; the build knows css, rust and inline"
                )));
            }
        }
    }
    html.push_str(rest);
    if !css || !rust {
        return Err(Error::Project(
            "index.html needs a <link data-trunk rel=\"css\" …/> and a <link data-trunk rel=\"rust\" …/>, \
             which say where the build puts the stylesheet and the app"
                .into(),
        ));
    }
    Ok(html)
}

/// The value of `name="…"` in a tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

fn clear_dir(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(format!("clearing {}", dir.display()), e)),
    }
}

/// Replaces dist/ with the new build in one rename, so a server never serves half of each.
fn install(out: &Path, dist: &Path) -> Result<(), Error> {
    let old = dist.with_extension("old");
    clear_dir(&old)?;
    match std::fs::rename(dist, &old) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("moving {} aside", dist.display()), e)),
    }
    std::fs::rename(out, dist)
        .map_err(|e| Error::io(format!("moving the build to {}", dist.display()), e))?;
    clear_dir(&old)
}

fn sizes(dist: &Path) -> Result<BTreeMap<String, (u64, u64)>, Error> {
    let mut files = BTreeMap::new();
    let entries =
        std::fs::read_dir(dist).map_err(|e| Error::io(format!("reading {}", dist.display()), e))?;
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io(format!("reading {}", dist.display()), e))?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if name.ends_with(".br") {
            continue;
        }
        let raw = std::fs::metadata(&path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?
            .len();
        let brotli = std::fs::metadata(format!("{}.br", path.display()))
            .map(|m| m.len())
            .unwrap_or(0);
        files.insert(name, (raw, brotli));
    }
    Ok(files)
}

/// The server sends `FILE.br` in place of FILE to a browser that accepts brotli
/// (`ServeDir::precompressed_br`); without one it compresses on the fly at quality 4, which makes
/// the wasm about a fifth bigger on the wire than quality 11. So the build writes them once, at
/// quality 11, with Node's zlib (Node is a prerequisite already, for wasm-opt and Playwright).
fn precompress(dist: &Path) -> Result<(), Error> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| Error::io(format!("reading {}", dist.display()), e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error::io(format!("reading {}", dist.display()), e))?
            .path();
        if path.to_str().is_some_and(is_precompressed) {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(Error::Project(format!(
            "{} holds no JS, wasm or CSS to precompress",
            dist.display()
        )));
    }
    println!("xtask: brotli at quality 11 beside {} files", files.len());
    process::run_ok(
        command("node").arg("-e").arg(BROTLI_JS).arg(dist),
        "precompressing the app with brotli (node)",
    )
}

/// Writes FILE.br beside each JS, wasm and CSS file of the folder given, at brotli's best quality.
const BROTLI_JS: &str = "\
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const dir = process.argv[1];
for (const name of fs.readdirSync(dir).filter((n) => /\\.(js|wasm|css)$/.test(n)).sort()) {
  const file = path.join(dir, name);
  const bytes = fs.readFileSync(file);
  const params = {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  };
  fs.writeFileSync(file + '.br', zlib.brotliCompressSync(bytes, { params }));
}";

/// The files the server serves from dist/ (index.html it serves from memory, with its headers).
fn is_precompressed(path: &str) -> bool {
    [".js", ".wasm", ".css"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_files_served_from_dist_are_precompressed() {
        assert!(is_precompressed("dist/app-0123456789abcdef_bg.wasm"));
        assert!(is_precompressed("dist/app-0123456789abcdef.js"));
        assert!(is_precompressed("dist/main-0123456789abcdef.css"));
        assert!(is_precompressed(
            "dist/split_cancel_dialog-0123456789abcdef.wasm"
        ));
        assert!(!is_precompressed("dist/index.html"));
        assert!(!is_precompressed("dist/app.wasm.br"));
    }

    #[test]
    fn precompressing_writes_a_smaller_br_beside_each_file() {
        let dir = paths::xtask_dir().join("precompress-selftest");
        clear_dir(&dir).expect("target/ is writable");
        std::fs::create_dir_all(&dir).expect("target/ is writable");
        let text = "a shipment, a shipment, a shipment; ".repeat(200);
        std::fs::write(dir.join("app.js"), &text).expect("write");
        std::fs::write(dir.join("index.html"), &text).expect("write");
        precompress(&dir).expect("node compresses");
        let br = std::fs::metadata(dir.join("app.js.br")).expect("app.js.br written");
        assert!(
            br.len() > 0 && br.len() < text.len() as u64 / 10,
            "{}",
            br.len()
        );
        assert!(!dir.join("index.html.br").exists());
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn names_change_with_the_content_only() {
        assert_eq!(short_hash(&[b"abc"]), short_hash(&[b"abc"]));
        assert_ne!(short_hash(&[b"abc"]), short_hash(&[b"abd"]));
        // The parts are framed: moving bytes from one part to the next is another content.
        assert_ne!(short_hash(&[b"ab", b"c"]), short_hash(&[b"a", b"bc"]));
        assert_eq!(short_hash(&[b"abc"]).len(), 16);
    }

    fn names() -> Names<'static> {
        Names {
            css: "main-1.css",
            css_integrity: "sha384-c",
            glue: "app-2.js",
            glue_integrity: "sha384-g",
            loader: "app-2_split.js",
            loader_integrity: "sha384-l",
            wasm: "app-3_bg.wasm",
        }
    }

    #[test]
    fn index_html_gets_the_files_in_place_of_the_links() {
        let template = "<head>\n<link data-trunk rel=\"inline\" type=\"js\" href=\"boot.js\" />\n\
                        <link data-trunk rel=\"css\" href=\"style/main.css\" />\n\
                        <link data-trunk rel=\"rust\" data-bin=\"app\" />\n<meta name=\"x\">\n</head>";
        let html = index_html(template, &names(), |href| {
            assert_eq!(href, "boot.js");
            Ok("boot()".to_owned())
        })
        .expect("every link is known");
        assert!(!html.contains("data-trunk"), "{html}");
        assert!(
            html.starts_with("<head>\n<script>boot()</script>\n"),
            "{html}"
        );
        assert!(html.contains("href=\"/main-1.css\""), "{html}");
        assert!(html.contains("import init from '/app-2.js';"), "{html}");
        assert!(html.contains("module_or_path: '/app-3_bg.wasm'"), "{html}");
        assert!(
            html.contains("rel=\"modulepreload\" href=\"/app-2_split.js\""),
            "{html}"
        );
        assert!(html.ends_with("<meta name=\"x\">\n</head>"), "{html}");
    }

    #[test]
    fn index_html_without_its_links_or_with_an_unknown_one_is_refused() {
        let no_file = |_: &str| -> Result<String, Error> { Ok(String::new()) };
        assert!(index_html("<head></head>", &names(), no_file).is_err());
        let unknown = "<link data-trunk rel=\"css\" href=\"a.css\"/><link data-trunk rel=\"rust\"/>\
                       <link data-trunk rel=\"copy-dir\" href=\"assets\"/>";
        assert!(index_html(unknown, &names(), no_file).is_err());
    }
}
