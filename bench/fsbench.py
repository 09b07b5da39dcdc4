"""fsbench.py - what the validity scripts of bench/ share: the framescore
binary to run (FRAMESCORE, default build/framescore of this repository) with
the repository's own lexicons and models, and the fold rule: folds 0-2 tune,
folds 3-4 report (PTC: article id mod 5; BABE: topic index mod 5)."""
import csv
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TUNING_FOLDS = {0, 1, 2}
PARTS = ("tuning", "report", "all")


def framescore_env():
    """The binary and an environment with lexicons/models set."""
    binary = os.environ.get("FRAMESCORE", os.path.join(REPO, "build", "framescore"))
    env = dict(os.environ)
    env.setdefault("FRAMESCORE_LEXICONS", os.path.join(REPO, "lexicons"))
    env.setdefault("FRAMESCORE_MODELS", os.path.join(REPO, "models"))
    return binary, env


def part_of(fold_key):
    """'tuning' or 'report' for an article id or a topic index."""
    return "tuning" if int(fold_key) % 5 in TUNING_FOLDS else "report"


def ptc_manifest(articles_dir, ids, out_dir):
    """A manifest (out_dir/manifest.csv, outlet ptc) of the PTC articles ids,
    through symbolic links in out_dir/articles, so its paths lie inside its
    folder and nothing of the data is copied. Returns the manifest's path."""
    links = os.path.join(out_dir, "articles")
    os.makedirs(links, exist_ok=True)
    manifest = os.path.join(out_dir, "manifest.csv")
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "outlet"])
        for aid in ids:
            name = f"article{aid}.txt"
            link = os.path.join(links, name)
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(os.path.join(articles_dir, name)), link)
            w.writerow([f"articles/{name}", "ptc"])
    return manifest
