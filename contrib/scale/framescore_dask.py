#!/usr/bin/python3
"""framescore_dask - manifest -> counts file on a dask.distributed cluster.

Maps `framescore count --shard K/N` over the N shards of a manifest as
cluster tasks, then reduces the shards with `framescore merge` as a tree
(FAN_IN files per merge), so no single task reads every shard. The result is
byte-identical to one `framescore count` of the whole manifest. Workers run
the framescore binary, and must see the manifest, the documents and
`workdir` at the same paths (a shared file system).

    from dask.distributed import Client
    import framescore_dask
    client = Client("scheduler:8786")
    framescore_dask.count(client, "manifest.csv", 200, "all.fsc",
                          workdir="/shared/shards")

or from the shell:

    python3 contrib/scale/framescore_dask.py --scheduler HOST:8786 \\
        manifest.csv 200 all.fsc --workdir /shared/shards
    python3 contrib/scale/framescore_dask.py --local 2 manifest.csv 8 all.fsc
"""
import argparse
import os
import subprocess
import tempfile

FAN_IN = 16


def _run(cmd):
    """Runs a framescore command on a worker; raises with its stderr."""
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                                p.stderr.strip()))


def count_shard(framescore, manifest, k, n, out, options=()):
    """Counts shard k (1-based) of n into out; returns out."""
    _run([framescore, "count", "--quiet", "--threads", "1", "--manifest",
          manifest, "--shard", "%d/%d" % (k, n), *options, "-o", out])
    return out


def merge(framescore, out, *parts):
    """Merges counts files into out; returns out."""
    _run([framescore, "merge", *parts, "-o", out])
    return out


def count(client, manifest, shards, out, workdir=None, framescore="framescore",
          options=(), fan_in=FAN_IN):
    """Counts the manifest in `shards` tasks and merges them into out.

    Returns out. `options` are more options of framescore count (--voice,
    --model, --lexicon ...); `workdir` holds the shards (default: a folder
    beside out)."""
    manifest, out = os.path.abspath(manifest), os.path.abspath(out)
    workdir = workdir or tempfile.mkdtemp(prefix=os.path.basename(out) + ".",
                                          dir=os.path.dirname(out))
    os.makedirs(workdir, exist_ok=True)
    level = [client.submit(count_shard, framescore, manifest, k, shards,
                           os.path.join(workdir, "shard-%d.fsc" % k),
                           tuple(options), pure=False)
             for k in range(1, shards + 1)]
    depth = 0
    while len(level) > 1:
        depth += 1
        nxt = []
        for i in range(0, len(level), fan_in):
            part = os.path.join(workdir, "merge-%d-%d.fsc" % (depth, i))
            nxt.append(client.submit(merge, framescore, part,
                                     *level[i:i + fan_in], pure=False))
        level = nxt
    last = level[0].result()
    os.replace(last, out)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a dask scheduler")
    where.add_argument("--local", type=int, metavar="WORKERS",
                       help="a LocalCluster of this many workers")
    ap.add_argument("manifest")
    ap.add_argument("shards", type=int)
    ap.add_argument("out")
    ap.add_argument("--workdir")
    ap.add_argument("--framescore", default="framescore")
    ap.add_argument("--fan-in", type=int, default=FAN_IN)
    ap.add_argument("options", nargs="*",
                    help="options of framescore count (after --)")
    a = ap.parse_args()
    from dask.distributed import Client, LocalCluster
    if a.local:
        cluster = LocalCluster(n_workers=a.local, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        cluster, client = None, Client(a.scheduler)
    try:
        count(client, a.manifest, a.shards, a.out, a.workdir, a.framescore,
              a.options, a.fan_in)
    finally:
        client.close()
        if cluster:
            cluster.close()


if __name__ == "__main__":
    main()
