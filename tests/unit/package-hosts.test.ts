/**
 * The project names no package host anywhere (code, scripts, docs, workflows, lockfile): where a machine
 * gets its packages from is its owner's choice, made in its own configuration. Where a script needs a
 * source it cannot copy from the machine's (as .ci/run for bookworm-backports), it says what to add by
 * hand and stops.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Hosts that serve packages: distributions' archives, language registries and their CDNs. */
const PACKAGE_HOST =
  /\b(?:[\w-]+\.)*(?:debian\.(?:org|net)|ubuntu\.com|launchpad(?:content)?\.net|alpinelinux\.org|fedoraproject\.org|centos\.org|npmjs\.(?:org|com)|yarnpkg\.com|npm\.pkg\.github\.com|pypi\.(?:org|python\.org)|pythonhosted\.org|download\.pytorch\.org|anaconda\.(?:org|com)|nodesource\.com|crates\.io|proxy\.golang\.org|rubygems\.org|maven\.(?:org|apache\.org)|packages\.microsoft\.com|apt\.llvm\.org|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh)\b/i;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' });
  return out.split('\0').filter(Boolean);
}

describe('package hosts', () => {
  it('the pattern finds the names it is meant to find', () => {
    // Spelled in parts, so that this file does not name them itself.
    const hosts = [['deb', 'debian', 'org'], ['security', 'debian', 'org'], ['archive', 'ubuntu', 'com'], ['registry', 'npmjs', 'org'], ['files', 'pythonhosted', 'org'], ['pypi', 'org']];
    for (const parts of hosts) expect(`echo "deb http://${parts.join('.')}/debian bookworm main"`).toMatch(PACKAGE_HOST);
    for (const other of ['arxiv.org', 'docs.astro.build', 'vega.github.io', 'debian-archive-keyring']) expect(other).not.toMatch(PACKAGE_HOST);
  });

  it('no file in the tree names one', () => {
    const found: string[] = [];
    for (const file of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // deleted in the working tree, or not a file
      }
      if (text.includes('\0')) continue; // binary
      text.split('\n').forEach((line, i) => {
        const match = PACKAGE_HOST.exec(line);
        if (match) found.push(`${file}:${i + 1}: ${match[0]}`);
      });
    }
    expect(found).toEqual([]);
  });
});
