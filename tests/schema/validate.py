#!/usr/bin/env python3
"""Full validation of docs/scenario.schema.json, run by schema_test.sh when python3 has the
jsonschema and yaml modules (optional: they are not dmasim dependencies).

  validate.py SCHEMA

1. The schema is valid against the JSON Schema 2020-12 metaschema.
2. Every scenario in scenarios/ and docs/examples/ validates (YAML read as an editor would,
   YAML 1.2 booleans: 0x1b36 is a number, 16K a string, yes a string).
3. Small documents on both sides of the line: each CASE says whether dmasim accepts it, and the
   schema must agree. With DMASIM set (the dmasim binary), dmasim is asked too, so a case that
   stops describing dmasim fails here instead of misleading.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

BASE = """\
name: case
host:
  iommus:
    - { id: dmar0, kind: vt-d, address_bits: 48 }
  topology:
    - id: pci0
      kind: host-bridge
      children:
        - id: rp0
          kind: root-port
          devfn: "1c.0"
          children:
            - { id: nic0, kind: endpoint, devfn: "0.0", bars: [ { index: 0, type: mem64, size: 16K, address: 0xfe800000 } ] }
"""

# (accepted by dmasim?, what, text appended to BASE or replacing one of its lines)
CASES = [
    (True, "the base document", ""),
    (True, "numbers, sizes and booleans quoted", "        - { id: x0, kind: endpoint, devfn: \"2.0\", vendor: \"0x8086\", dma_bits: \"40\", rom: { size: \"64K\", enabled: \"true\" } }\n"),
    (True, "empty lists written as null", "        - { id: x0, kind: pci-device, devfn: \"2.0\", bars: ~, quirks: , dma_alias: null }\n"),
    (True, "a hex size with a suffix", "        - { id: x0, kind: endpoint, devfn: \"2.0\", bars: [ { index: 0, type: mem32, size: 0x10K } ] }\n"),
    (True, "a replay write and read", "replay:\n  machine: host\n  ops:\n    - { op: write, dev: nic0, reg: 0x10, len: 4, value: 0xffffffff }\n    - { op: read, dev: \"01:00.0\", reg: 0x10, len: 4, expect: 0xffffc00c }\n"),
    (True, "an explore actor with empty ops", "explore:\n  actors:\n    - { cpu: 1, ops: [] }\n    - { sequence: { generator: seabios, devices: [nic0] } }\n"),
    (True, "expect with aliases by BDF and number", "expect:\n  aliases:\n    nic0: [\"01:00.0\", 0x0100]\n  groups: { host: [[rp0, \"01:00.0\"]] }\n  findings: []\n"),
    (False, "an unknown key", "        - { id: x0, kind: endpoint, devfn: \"2.0\", vendr: 0x8086 }\n"),
    (False, "a lower-case size suffix", "        - { id: x0, kind: endpoint, devfn: \"2.0\", bars: [ { index: 0, type: mem32, size: 16k } ] }\n"),
    (False, "a suffix on a plain number", "        - { id: x0, kind: endpoint, devfn: \"2.0\", vendor: 4K }\n"),
    (False, "hex digits without 0x", "        - { id: x0, kind: endpoint, devfn: \"2.0\", vendor: 10de }\n"),
    (False, "slot 0x20", "        - { id: x0, kind: endpoint, devfn: \"20.0\" }\n"),
    (False, "a boolean written yes", "        - { id: x0, kind: endpoint, devfn: \"2.0\", rom: { size: 64K, enabled: yes } }\n"),
    (False, "secondary on an endpoint", "        - { id: x0, kind: endpoint, devfn: \"2.0\", secondary: 5 }\n"),
    (False, "ACS on a conventional function", "        - { id: x0, kind: pci-device, devfn: \"2.0\", acs: full }\n"),
    (False, "a host bridge as a child", "        - { id: x0, kind: host-bridge, devfn: \"2.0\" }\n"),
    (False, "a BAR without a type", "        - { id: x0, kind: endpoint, devfn: \"2.0\", bars: [ { index: 0, size: 4K } ] }\n"),
    (False, "a write without value", "replay:\n  ops:\n    - { op: write, dev: nic0, reg: 0x10, len: 4 }\n"),
    (False, "a read with value", "replay:\n  ops:\n    - { op: read, dev: nic0, reg: 0x10, len: 4, value: 1 }\n"),
    (False, "len 3", "replay:\n  ops:\n    - { op: read, dev: nic0, reg: 0x10, len: 3 }\n"),
    (False, "replay with ops and a sequence", "replay:\n  ops: []\n  sequence: { generator: linux, devices: [nic0] }\n"),
    (False, "an actor with sequence and ops", "explore:\n  actors:\n    - { ops: [], sequence: { generator: linux, devices: [nic0] } }\n"),
    (False, "explore without actors", "explore:\n  invariants: [no-bar-overlap]\n"),
    (False, "an unknown invariant", "explore:\n  actors: [ { ops: [] } ]\n  invariants: [no-overlap]\n"),
    (False, "an unknown finding code", "expect:\n  findings: [ { code: bar-overlaps, subject: x } ]\n"),
    (False, "a version with major 0", "semantics: { linux: \"0.9\" }\n"),
    (False, "a name in upper case", "REPLACE name: case\nname: Case\n"),
    (False, "covers: []", "REPLACE     - { id: dmar0, kind: vt-d, address_bits: 48 }\n    - { id: dmar0, kind: vt-d, address_bits: 48, covers: [] }\n"),
    (False, "stream_map on vt-d", "REPLACE     - { id: dmar0, kind: vt-d, address_bits: 48 }\n    - { id: dmar0, kind: vt-d, address_bits: 48, stream_map: [ { sid: 1, single: true } ] }\n"),
    (True, "stream_map forms on smmuv3", "REPLACE     - { id: dmar0, kind: vt-d, address_bits: 48 }\n    - { id: dmar0, kind: smmuv3, address_bits: 48, stream_map: [ { sid: 0x80000, single: true, segment: 1 }, { rid_base: 0, count: 0x100, sid_base: 0 } ] }\n"),
    (False, "a stream_map entry of both forms", "REPLACE     - { id: dmar0, kind: vt-d, address_bits: 48 }\n    - { id: dmar0, kind: smmuv3, address_bits: 48, stream_map: [ { sid: 1, rid_base: 0, count: 1, sid_base: 0 } ] }\n"),
]


class Yaml12Loader(yaml.SafeLoader):
    """yaml.SafeLoader with YAML 1.2 booleans (true/false only), as editors read YAML: with
    PyYAML's YAML 1.1 rules `yes` and `on` would be booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for first in "tTfF":
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list(first))


def load(text):
    return yaml.load(text, Loader=Yaml12Loader)


def document(change):
    if change.startswith("REPLACE "):
        old, new = change[len("REPLACE "):].split("\n", 1)
        assert old + "\n" in BASE, old
        return BASE.replace(old + "\n", new, 1)
    return BASE + change


def main():
    schema_path = sys.argv[1]
    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    failed = 0

    files = sorted(glob.glob("scenarios/**/*.yaml", recursive=True) + glob.glob("docs/examples/*.yaml"))
    if len(files) < 20:
        print("validate.py: only %d scenario files found; run from the source directory" % len(files))
        return 1
    for path in files:
        with open(path) as f:
            doc = load(f)
        errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:3]:
            print("FAIL: %s: /%s: %s" % (path, "/".join(map(str, e.absolute_path)), e.message[:200]))
        failed += bool(errors)

    dmasim = os.environ.get("DMASIM")
    with tempfile.TemporaryDirectory() as tmp:
        for accepted, what, change in CASES:
            text = document(change)
            schema_ok = v.is_valid(load(text))
            if schema_ok != accepted:
                print("FAIL: case '%s': the schema %s it, dmasim %s it" % (
                    what, "accepts" if schema_ok else "rejects", "accepts" if accepted else "rejects"))
                failed += 1
            if dmasim:
                path = os.path.join(tmp, "case.yaml")
                with open(path, "w") as f:
                    f.write(text)
                rc = subprocess.run([dmasim, "show", path], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True)
                if (rc.returncode == 0) != accepted:
                    print("FAIL: case '%s' is marked %s, but dmasim show exits %d: %s" % (
                        what, "valid" if accepted else "invalid", rc.returncode, rc.stderr.strip()))
                    failed += 1
    print("validate.py: %d scenario files, %d cases%s, %d failed" % (
        len(files), len(CASES), " (checked against dmasim)" if dmasim else "", failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
