//! `lede query` on the sample corpus and on generated corpora.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::json::hits;
use crate::util::{LAYOFFS, TestEnv};

#[test]
fn jassy_finds_both_seed_pages_with_the_key_passages_on_top() {
    let env = TestEnv::sample_indexed();
    let hits = hits(&env, &["Jassy"]);
    let top3: Vec<&str> = hits.iter().take(3).map(|h| h.text.as_str()).collect();
    assert!(top3.iter().any(|t| t.contains("Andy Jassy, the CEO of Amazon")), "{top3:#?}");
    assert!(top3.iter().any(|t| t.contains("Jassy has been explicit")), "{top3:#?}");
    for seed in ["000_0dad97b4136e326d.txt", "004_f6510f4a557f18b8.txt"] {
        assert!(hits.iter().any(|h| h.path.ends_with(seed)), "no hit from {seed}");
    }
}

#[test]
fn gpu_and_gpus_find_the_same_passages() {
    let env = TestEnv::sample_indexed();
    for query in ["GPU", "GPUs", "gpu"] {
        let hits = hits(&env, &[query]);
        let texts: Vec<&str> = hits.iter().map(|h| h.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("buying enough GPUs")), "{query}: {texts:#?}");
        assert!(texts.iter().any(|t| t.contains("GPU clusters")), "{query}: {texts:#?}");
        for hit in &hits {
            for span in &hit.highlights {
                let word = hit.text[span.start..span.end].to_lowercase();
                assert!(word.starts_with("gpu"), "{query} highlighted {word:?}");
            }
        }
    }
}

#[test]
fn boilerplate_words_of_the_seeds_find_nothing() {
    let env = TestEnv::sample_indexed();
    for word in ["Музыкальные", "TechNews", "smi24", "Game24", "Добавить"] {
        let (code, stdout, stderr) = env.query(&[word]);
        assert_eq!(code, 1, "{word} found: {stdout}{stderr}");
        assert_eq!(stdout, "", "{word}");
    }
}

#[test]
fn text_output_cites_path_and_line_and_brackets_matches_without_colour() {
    let env = TestEnv::sample_indexed();
    let (code, stdout, _) = env.query(&["Jassy", "explicit"]);
    assert_eq!(code, 0);
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("sample-corpus/004_f6510f4a557f18b8.txt:"), "{first}");
    assert!(stdout.contains("[Jassy]") && stdout.contains("[explicit]"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "colour on a pipe");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color_on_auto() {
    let env = TestEnv::indexed();
    let (_, always, _) = env.query(&["--color", "always", "Jassy"]);
    assert!(always.contains("\x1b[1;31mJassy\x1b[0m"), "{always}");
    let output = env.cmd().env("NO_COLOR", "1").args(["query", "Jassy"]).output().unwrap();
    assert!(!String::from_utf8(output.stdout).unwrap().contains('\x1b'));
}

#[test]
fn terms_are_and_by_default_and_operators_work() {
    let env = TestEnv::indexed();
    assert_eq!(env.query(&["Jassy", "storm"]).0, 1);
    assert_eq!(env.query(&["Jassy OR storm"]).0, 0);
    assert_eq!(hits(&env, &["Jassy OR storm"]).len(), 2);
    assert_eq!(hits(&env, &["Amazon OR storm", "-snow"]).len(), 1);
    assert_eq!(hits(&env, &["\"corporate roles\""]).len(), 1);
}

#[test]
fn limit_and_offset_page_through_hits() {
    let env = TestEnv::new();
    for i in 0..12 {
        env.write(&format!("corpus/{i:02}.txt"), crate::util::distinct_story(i));
    }
    env.cmd().args(["index", "corpus"]).assert().success();
    let all = hits(&env, &["officials", "--limit", "20"]);
    assert_eq!(all.len(), 12);
    let page = hits(&env, &["officials", "--limit", "5", "--offset", "5"]);
    let want: Vec<u64> = all[5..10].iter().map(|h| h.doc).collect();
    assert_eq!(page.iter().map(|h| h.doc).collect::<Vec<_>>(), want);
    assert_eq!(page[0].rank, 6);
}

#[test]
fn syndicated_copies_fold_into_one_hit() {
    let env = TestEnv::new();
    env.write("a/story.txt", LAYOFFS);
    env.write("b/story.txt", LAYOFFS);
    env.cmd().args(["index", "a", "b"]).assert().success();
    let folded = hits(&env, &["Jassy"]);
    assert_eq!(folded.len(), 1);
    assert_eq!(folded[0].duplicates, 1);
    assert_eq!(hits(&env, &["Jassy", "--all-duplicates"]).len(), 2);
}

#[test]
fn same_corpus_gives_same_results_whatever_the_thread_count() {
    let (one, four) = (TestEnv::with_sample_corpus(), TestEnv::with_sample_corpus());
    for env in [&one, &four] {
        for i in 0..20 {
            env.write(&format!("sample-corpus/copies/{i:02}.txt"), LAYOFFS); // 20 tied scores
        }
    }
    one.cmd().args(["index", "sample-corpus", "-j", "1"]).assert().success();
    four.cmd().args(["index", "sample-corpus", "-j", "4"]).assert().success();
    for args in [
        vec!["--json", "--all-duplicates", "--limit", "50", "roles"],
        vec!["--json", "Amazon", "--limit", "50"],
        vec!["Jassy"],
    ] {
        assert_eq!(one.query(&args).1, four.query(&args).1, "{args:?}");
    }
}

#[test]
fn index_is_found_by_flag_env_and_parent_folders() {
    let env = TestEnv::new();
    env.write("corpus/layoffs.txt", LAYOFFS);
    env.cmd().args(["index", "--index", "idx", "corpus"]).assert().success();
    env.cmd().args(["query", "--index", "idx", "Jassy"]).assert().success();
    env.cmd().env("LEDE_INDEX", "idx").args(["query", "Jassy"]).assert().success();
    env.cmd().args(["index", "corpus"]).assert().success();
    env.cmd().current_dir(env.path().join("corpus")).args(["query", "Jassy"]).assert().success();
}

#[test]
fn closing_stdout_early_is_not_an_error() {
    let env = TestEnv::new();
    for i in 0..300 {
        env.write(&format!("corpus/{i:03}.txt"), crate::util::distinct_story(i));
    }
    env.cmd().args(["index", "corpus"]).assert().success();
    let mut child = env
        .std_cmd()
        .args(["query", "officials", "--limit", "300", "--all-duplicates"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    // The reader is dropped here: the pipe closes like `| head -1`.
    let output = child.wait_with_output().unwrap();
    assert!(first.starts_with("corpus/"), "{first}");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}
