#!/usr/bin/python3
"""Where the controller's CPU went, from a JFR recording: bench-hotspots.py REC.jfr [HH:MM:SS HH:MM:SS].

Groups execution samples by the first matching component of their stack (full flow diff, full compile, ...), so a
bench run's bottleneck reads as a few percentages. Used by bench.sh with BENCH_JFR=1."""
import collections, re, subprocess, sys

RULES = [
    ('southbound DiffPlanner: full diff of desired vs installed flows', r'DiffPlanner'),
    ('flows FlowCompiler.compile: full recompile of the host', r'FlowCompiler\.compile'),
    ('FlowProgrammer.installedFlows copies (status, flows views)', r'FlowProgrammer\.installedFlows'),
    ('REST Binding.onCommit (store listener, O(endpoints) per commit)', r'northbound\.rest\.Binding'),
    ('reconcile PortBindings.resolve', r'PortBindings\.resolve'),
    ('routing SnapshotCheck', r'SnapshotCheck'),
    ('StoreState / NetworkSnapshot building', r'StoreState\.|NetworkSnapshot\.<init>'),
    ('OVSDB client (codec, cache, provisioner)', r'io\.weft\.ovsdb'),
    ('OpenFlow / Netty I/O', r'openflow|io\.netty'),
    ('store commit (MVStore)', r'org\.h2|MvStore|AbstractStore'),
    ('REST (Jetty, Javalin, Jackson)', r'jetty|javalin|jackson'),
]


def main():
    rec = sys.argv[1]
    window = sys.argv[2:4] if len(sys.argv) >= 4 else None
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', rec],
                          check=True, capture_output=True, text=True).stdout
    cats, tops, n = collections.Counter(), collections.Counter(), 0
    for ev in text.split('jdk.ExecutionSample {')[1:]:
        m = re.search(r'startTime = (\d\d:\d\d:\d\d\.\d+)', ev)
        if window and (not m or not window[0] <= m.group(1) <= window[1]):
            continue
        frames = re.findall(r'^\s+([\w.$<>]+)\(', ev, re.M)
        if not frames:
            continue
        n += 1
        stack = '\n'.join(frames)
        cats[next((name for name, pat in RULES if re.search(pat, stack)), 'other')] += 1
        tops[frames[0]] += 1
    print('%d execution samples%s' % (n, ' between %s and %s' % tuple(window) if window else ''))
    for k, v in cats.most_common():
        print('%5.1f%%  %s' % (100.0 * v / max(n, 1), k))
    print('top frames:')
    for k, v in tops.most_common(8):
        print('%5.1f%%  %s' % (100.0 * v / max(n, 1), k))


if __name__ == '__main__':
    main()
