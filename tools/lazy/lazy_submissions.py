#!/usr/bin/env python3
"""Scores "lazy" submissions of every lab: what a student who does no work would get.

For each solutions/NN_topic/*.cpp it writes a variant in which every
// BEGIN SOLUTION ... // END SOLUTION region does nothing:

  zero       every output argument (MatrixRef, Matrix&, Matrix*, lab 10's C) is set to 0,
             and a function that returns something returns {} (0, false, empty);
  untouched  the same without setZero: outputs are left as they were (a "+=" kernel that adds nothing);
  hardcoded  (lab 02 only, for the hidden tests) the reference restricted to the top-left
             LIMIT x LIMIT block of every matrix: code written for the visible tests' shapes.

It compiles the variant with the build directory's own command for the solution file
(compile_commands.json), links it into the lab's test executable in place of the
reference (the link command of labNN_tests_reference, from `ninja -t commands`), runs
every [[tests]] group of lab.toml with its filter and prints points as the grader
counts them (points x passed / total; hidden groups with --hidden). Nothing in the
source tree or the build directory is written: objects and executables go to --work.

  tools/lazy/lazy_submissions.py --build build/default [--labs 01,02] [--modes zero,untouched] [--hidden]

Needs a configured build with labNN_tests_reference built (and labNN_hidden_tests_reference
for --hidden). Plots are not scored here: `grader check NN` on a copy of the variant does that.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tomllib

DEFINITION = re.compile(r'^[A-Za-z_][\w:<>,\*& ]*?\b((?:[A-Za-z_]\w*::)*[A-Za-z_]\w*)\s*\(')
SIGNATURE = re.compile(r'^(.*?)\b((?:[A-Za-z_]\w*::)*[A-Za-z_]\w*)\s*\((.*)\)\s*(const)?\s*$')
PRAGMAS = ['#pragma GCC diagnostic ignored "-W' + w + '"' for w in
           ('unused-parameter', 'unused-variable', 'unused-but-set-variable', 'unused-function',
            'unused-local-typedefs', 'shadow')]


def regions(lines):
    """(begin, end, signature) of every SOLUTION region; signature '' at file scope."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == '// BEGIN SOLUTION':
            j = i
            while lines[j].strip() != '// END SOLUTION':
                j += 1
            k = i
            while k > 0:
                k -= 1
                if DEFINITION.search(lines[k]):
                    break
            sig = ' '.join(x.strip() for x in lines[k:i])
            sig = sig[:sig.find('{')] if '{' in sig else sig
            out.append((i, j, sig if lines[i].startswith(' ') else ''))
            i = j
        i += 1
    return out


def split_params(text):
    depth, cur, out = 0, '', []
    for ch in text:
        depth += ch in '<([' and 1 or 0
        depth -= ch in '>)]' and 1 or 0
        if ch == ',' and depth == 0:
            out.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def lazy_body(sig, mode, limit):
    if not sig:
        return None if mode == 'hardcoded' else []
    m = SIGNATURE.match(sig)
    ret, params = m.group(1).strip(), split_params(m.group(3))
    body = []
    if mode == 'hardcoded':
        mats = [(p.split()[0], p.split()[-1]) for p in params if p.split()[0] in ('ConstMatrixRef', 'MatrixRef')]
        if not mats:
            return None
        first = mats[0][1]
        body.append(f'const Index r_lim_ = std::min<Index>({first}.rows(), {limit}), '
                    f'c_lim_ = std::min<Index>({first}.cols(), {limit});')
        body += [f'auto& {n}_outer_ = {n};' for _, n in mats]
        body.append('{')
        body += [f'{t} {n} = {n}_outer_.topLeftCorner(r_lim_, c_lim_);' for t, n in mats]
        return body  # the region's own lines follow, then '}'
    for p in params:
        name = re.findall(r'\w+', p)[-1]
        if mode == 'zero':
            if p.startswith('MatrixRef ') or re.match(r'^Matrix\s*&', p):
                body.append(f'{name}.setZero();')
            elif re.match(r'^Matrix\s*\*', p):
                body.append(f'if ({name}) {name}->setZero();')
            elif re.match(r'^Scalar\s*\*\s*c$', p):  # lab 10's gemm: C[m, n] with leading dimension ldc
                body.append('for (Index i = 0; i < m; ++i) for (Index j = 0; j < n; ++j) c[i * ldc + j] = 0.0;')
    if ret not in ('void', ''):
        body.append('return {};')
    return body


def variant(path, mode, limit):
    lines = open(path).read().split('\n')
    out, pos = list(PRAGMAS), 0
    for (i, j, sig) in regions(lines):
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        body = lazy_body(sig, mode, limit)
        if mode == 'hardcoded':
            out += lines[pos:i + 1]
            if body is None:
                out += lines[i + 1:j + 1]
            else:
                out += [indent + b for b in body] + lines[i + 1:j] + [indent + '}', lines[j]]
        else:
            out += lines[pos:i] + [indent + b for b in body]
        pos = j + 1
    return '\n'.join(out + lines[pos:])


def run(cmd, cwd):
    return subprocess.run(cmd, shell=True, cwd=cwd, capture_output=True, text=True)


def score(args, src, lab, slug, mode):
    tag = f'{mode}-{lab}'
    work = os.path.join(args.work, tag)
    os.makedirs(work, exist_ok=True)
    commands = json.load(open(os.path.join(args.build, 'compile_commands.json')))
    swap = {}
    for path in sorted(glob.glob(f'{src}/solutions/{slug}/*.cpp')):
        name = os.path.basename(path)
        lazy = os.path.join(work, name)
        open(lazy, 'w').write(variant(path, mode, args.limit))
        entry = [c for c in commands if os.path.realpath(c['file']) == os.path.realpath(path)][0]
        cmd = entry['command']
        out = re.search(r' -o (\S+)', cmd)
        obj = os.path.join(work, name + '.o')
        cmd = cmd.replace(out.group(0), f' -o {obj}').replace(f' -c {entry["file"]}', f' -c {lazy}')
        cmd = re.sub(r' -MD| -MT \S+| -MF \S+', '', cmd)
        r = run(cmd, entry['directory'])
        if r.returncode:
            return f'lab {lab} [{mode}]: the variant does not compile\n{r.stderr[-2000:]}'
        swap[out.group(1)] = obj

    def link(target, exe):
        r = subprocess.run(['ninja', '-C', args.build, '-t', 'commands', target], capture_output=True, text=True)
        if r.returncode or not r.stdout.strip():
            return False
        cmd = r.stdout.strip().split('\n')[-1]
        for k, v in swap.items():
            cmd = cmd.replace(' ' + k + ' ', ' ' + v + ' ')
        cmd = re.sub(r' -o \S+', f' -o {exe}', cmd)
        return run(cmd, args.build).returncode == 0

    exe = os.path.join(work, 'tests')
    if not link(f'lab{lab}_tests_reference', exe):
        return f'lab {lab} [{mode}]: cannot link (is lab{lab}_tests_reference built?)'
    hidden_exe = os.path.join(work, 'hidden_tests')
    has_hidden = args.hidden and link(f'lab{lab}_hidden_tests_reference', hidden_exe)
    manifest = tomllib.load(open(f'{src}/labs/{slug}/lab.toml', 'rb'))
    got = {False: 0.0, True: 0.0}
    most = {False: 0.0, True: 0.0}
    lines = []
    for group in manifest.get('tests', []):
        hidden = group.get('hidden', False)
        if hidden and not has_hidden:
            continue
        report = os.path.join(work, group['name'] + '.json')
        if os.path.exists(report):
            os.remove(report)
        env = dict(os.environ, GRADLAB_TEST_SEED=str(args.seed))
        try:
            subprocess.run([hidden_exe if hidden else exe, '--gtest_filter=' + group['filter'],
                            '--gtest_output=json:' + report], capture_output=True, timeout=300, env=env)
        except subprocess.TimeoutExpired:
            pass
        passed, total, names = 0, 0, []
        if os.path.exists(report):
            for suite in json.load(open(report))['testsuites']:
                for test in suite['testsuite']:
                    total += 1
                    if 'failures' not in test and test.get('result') == 'COMPLETED':
                        passed += 1
                        names.append(suite['name'] + '.' + test['name'])
        points = group['points'] * passed / total if total else 0.0
        got[hidden] += points
        most[hidden] += group['points']
        if passed:
            lines.append(f'    {group["name"]}: {passed}/{total} pass ({points:.1f}/{group["points"]}): ' + ', '.join(names))
    head = f'lab {lab} [{mode}]: {got[False]:.1f}/{most[False]:g} points ({100 * got[False] / max(most[False], 1):.1f}%)'
    if most[True]:
        head += f', hidden {got[True]:.1f}/{most[True]:g}'
    return '\n'.join([head] + lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--source', default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parser.add_argument('--build', default='build/default')
    parser.add_argument('--labs', default='', help='comma-separated lab ids (default: every lab)')
    parser.add_argument('--modes', default='zero,untouched', help='zero, untouched, hardcoded')
    parser.add_argument('--limit', type=int, default=8, help='hardcoded: the block size kept')
    parser.add_argument('--hidden', action='store_true', help='also score the hidden groups')
    parser.add_argument('--seed', type=int, default=20261121, help='GRADLAB_TEST_SEED for the hidden groups')
    parser.add_argument('--work', default='/tmp/gradlab-lazy')
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    src = os.path.abspath(args.source)
    wanted = [x for x in args.labs.split(',') if x]
    for path in sorted(glob.glob(f'{src}/solutions/[0-9][0-9]_*')):
        slug = os.path.basename(path)
        lab = slug[:2]
        if wanted and lab not in wanted:
            continue
        for mode in args.modes.split(','):
            print(score(args, src, lab, slug, mode), flush=True)


if __name__ == '__main__':
    sys.exit(main())
