/* dmasim -- the command: a dispatch table over the subcommands (one file each). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exit_codes.h"
#include "sim/util/suggest.h"

#ifndef DMASIM_VERSION
#define DMASIM_VERSION "0.0.0"
#endif

static const struct cli_cmd cmds[] = {
    { "check", cmd_check, "analyse scenarios; print the report and all findings",
      "usage: dmasim check [--json] [--color|--no-color] FILE...\n"
      "\n"
      "Load every scenario, analyse each machine and report: per machine the number of\n"
      "functions and IOMMU groups, the IOMMUs with their widths and the CPU's, every group\n"
      "with more than one member and why its members could not be separated; then the\n"
      "findings, errors first, each as\n"
      "\n"
      "  error CODE [machine] SUBJECT: what happens, in the words the kernel or QEMU uses\n"
      "    rule: the rule that fired\n"
      "    why:  the group's reasons, or the requester IDs of the functions involved\n"
      "    see:  where Linux or QEMU implements the rule\n"
      "\n"
      "Every finding code of FORMAT.md section 4 is checked, the replay and explore sections'\n"
      "included. Each file must be valid: if any is not, the errors go to stderr as\n"
      "FILE:LINE:COL: error: ... and nothing is printed on stdout (exit 2).\n"
      "\n"
      "  --json       one document per scenario (FORMAT.md section 3): functions with aliases,\n"
      "               group and address_space, the groups with their reasons, the findings;\n"
      "               with several files, a JSON array of them\n"
      "  --color      colour the report even when stdout is not a terminal\n"
      "  --no-color   never colour it (also: NO_COLOR set, or TERM=dumb)\n"
      "\n"
      "exit: 0 no error finding, 1 error findings, 2 invalid input or command line\n"
      "example: dmasim check scenarios/seeds/*.yaml\n" },
    { "show", cmd_show, "the topology as a tree (like lspci -tv) with BDFs, kinds, ACS, BARs",
      "usage: dmasim show [--json] FILE\n"
      "\n"
      "Print each machine of the scenario: a header (platform, RAM, MMIO windows, IOMMUs),\n"
      "then per host bridge the tree of functions in devfn order, one per line:\n"
      "\n"
      "  +-00:1c.0 rp1 root-port 1b36:000c bus=01-02 acs=cap:sv,rr,cr,uf/ctl:-\n"
      "  | \\-01:00.0 br0 pcie-pci-bridge 1b36:000e bus=02-02 acs=none\n"
      "  |   +-02:01.0 nic0 pci-device 8086:100e mf bar0=mem32:128K@0xfebc0000 cmd=mb\n"
      "\n"
      "Bus numbers are those firmware assigns (explicit `secondary` keys kept, the rest\n"
      "depth-first). bus=SEC-SUB is a bridge's range, acs=cap:.../ctl:... its ACS capability\n"
      "and control registers (acs=none: no capability), barN=TYPE:SIZE@ADDRESS each BAR,\n"
      "mf a multifunction device, cmd= the decode bits on (m memory, i I/O, b bus master).\n"
      "\n"
      "  --json   the same as JSON: {\"scenario\", \"machines\": {NAME: {platform, iommus,\n"
      "           host_bridges, functions}}, \"findings\"}; functions in (segment, bus,\n"
      "           devfn) order, addresses and IDs as \"0x...\" strings\n"
      "\n"
      "example: dmasim show scenarios/basic/minimal.yaml\n" },
    { "groups", cmd_groups,
      "IOMMU groups, one per line (--explain: why members could not be separated)",
      "usage: dmasim groups [--json] [--explain] FILE\n"
      "\n"
      "The IOMMU groups Linux forms for each machine (pci_device_group), numbered in creation\n"
      "order as /sys/kernel/iommu_groups shows them for one IOMMU, one per line:\n"
      "\n"
      "  group 1 (dmar0): 01:00.0 br0, 02:01.0 nic0, 02:01.1 nic1\n"
      "\n"
      "  --explain  below every group, why its members could not be separated, naming the\n"
      "             culprit: \"root port 00:1c.0 has no ACS capability\", \"02:01.0 aliases to\n"
      "             02:00.0 through PCIe-to-PCI bridge 01:00.0\", \"functions 04:00.0 and\n"
      "             04:00.1 are one multifunction device without ACS\"\n"
      "  --json     functions with their group, and the groups (with --explain, their reasons)\n"
      "\n"
      "Functions no IOMMU covers have no group. ACS counts the control bits firmware set plus,\n"
      "with platform.os_enables_acs (the default), what Linux enables at enumeration.\n"
      "example: dmasim groups --explain scenarios/groups/switch-dsp-no-acs.yaml\n" },
    { "iova", cmd_iova,
      "IOVA ranges per IOMMU and group: what VFIO reports, what functions can use",
      "usage: dmasim iova [--json] FILE\n"
      "\n"
      "For every IOMMU, then every IOMMU group, two views of the IOVA space, because they\n"
      "differ (seed 003):\n"
      "\n"
      "  vfio    what VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE reports: [0, 2^address_bits)\n"
      "          minus the reserved regions (the kind's defaults: x86 MSI 0xfee00000-0xfeefffff\n"
      "          for vt-d and amd-vi, AMD's HyperTransport hole 0xfd00000000-0xffffffffff, the\n"
      "          software MSI window 0x8000000 + 1 MiB for smmuv3 and virtio-iommu; those in\n"
      "          the scenario; for a group, its members' own)\n"
      "  usable  that, cut to what the functions can reach: the root complex's DMA limit\n"
      "          (dma_limit_bits, from IORT) and, for a group, the narrowest member dma_bits\n"
      "\n"
      "  --json   iova_ranges per machine: {iommu, reserved, vfio, usable} per IOMMU and\n"
      "           {group, iommu, vfio, usable} per group; ranges as [\"0xSTART\", \"0xEND\"]\n"
      "example: dmasim iova scenarios/seeds/003-smmu-dma-limit.yaml\n" },
    { "aliases", cmd_aliases, "every function with its requester-ID aliases",
      "usage: dmasim aliases [--json] FILE\n"
      "\n"
      "Every requester ID each function's DMA can carry, in the order Linux's\n"
      "pci_for_each_dma_alias() visits them: its own RID, same-bus quirk and dma_alias\n"
      "devfns, then one per bridge up to the root bus (a PCIe-to-PCI bridge adds (secondary\n"
      "bus, 00.0), a conventional bridge its own RID). The bridge an alias comes through is\n"
      "named in parentheses; then the DMA address space: on a guest the one QEMU gives the\n"
      "function (from QEMU 4.2 aliased functions share one), on a host the IOMMU and the\n"
      "requester ID it sees:\n"
      "\n"
      "  02:01.0 nic0: 02:01.0, 02:00.0 (br0); address space dmar0:02:00.0\n"
      "\n"
      "  --json   functions with their aliases (FORMAT.md section 3)\n"
      "example: dmasim aliases scenarios/seeds/001-pcie-pci-bridge-guest.yaml\n" },
    { "replay", cmd_replay,
      "run the replay section; print each op and the mapping events it caused",
      "usage: dmasim replay [--json] FILE\n"
      "\n"
      "Apply the scenario's replay section (ops, a QEMU trace, or a generated sizing sequence)\n"
      "to its machine's config registers, one access at a time, and print each access with\n"
      "the map/unmap events it caused, as QEMU's pci_update_mappings() does them:\n"
      "\n"
      "     5 write 01:10.0 nic0 @0x14 len 4 <- 0xffffffff\n"
      "       unmap BAR 0 0xfebe0000-0xfebe3fff\n"
      "       map   BAR 0 0xfffffffffebe0000-0xfffffffffebe3fff  vfio: DMA map FAILED ...\n"
      "\n"
      "policy qemu applies pci_bar_address()'s rules, hardware decodes whatever is programmed.\n"
      "With listener: vfio, every map of an assigned function's BAR is DMA-mapped into the\n"
      "host IOMMU, as QEMU does for peer-to-peer: not visible outside the MMIO windows,\n"
      "skipped at bit 63 with vfio_filter, failed at or above the host IOMMU's width.\n"
      "Then a summary (and for a trace: lines, accesses, skipped lines, inferred sizes) and the\n"
      "findings: transient-bar-mapping, mapping-outside-iommu-width, bar-overlap (a new\n"
      "mapping over another BAR), config-read-mismatch (a traced read the model disagrees\n"
      "with: the scenario is not the machine that made the trace).\n"
      "\n"
      "  --json   ops in order, each with its events (FORMAT.md section 3)\n"
      "example: dmasim replay scenarios/seeds/002-vfio-trace.yaml\n" },
    { "explore", cmd_explore, "run the explore section (every interleaving of config accesses)",
      "usage: dmasim explore [--json] [--no-reduction] [--compare] FILE\n"
      "\n"
      "Breadth-first search over every interleaving of the actors' access sequences (one\n"
      "actor per CPU, each in its own order), checking the invariants on every state:\n"
      "mappings-within-iommu-width, no-bar-overlap, no-transient-mapping. Accesses to\n"
      "different functions commute, so by default only one order of independent accesses is\n"
      "explored; --no-reduction explores them all (same verdict, more states).\n"
      "\n"
      "Prints the verdict (holds, violated, or incomplete when max_states ran out first),\n"
      "states, transitions, depth, bytes per state, and for a violation the shortest\n"
      "counterexample as a replay section that dmasim replay reproduces (paste it over the\n"
      "explore section). With reduction the counterexample is the shortest the reduced\n"
      "search saw, which can be longer than --no-reduction's. Progress and\n"
      "states per second go to stderr; stdout is the same on every run.\n"
      "\n"
      "  --json          verdict, counts and counterexample (FORMAT.md section 3)\n"
      "  --no-reduction  explore every interleaving\n"
      "  --compare       also run the search without reduction and print how many states\n"
      "                  and transitions the reduction saved, and whether the verdicts agree\n"
      "                  (text output)\n"
      "example: dmasim explore scenarios/bar/explore-decode-on-overlap.yaml\n" },
    { "graph", cmd_graph, "render the topology; the format follows OUT's suffix (.dot .svg .png)",
      "usage: dmasim graph FILE -o OUT [--what groups|aliases|address-spaces|all]\n"
      "\n"
      "Draw the scenario's machines with Graphviz: host and guest side by side, each with\n"
      "its host bridges (and the IOMMUs that translate below them), ports, switches and\n"
      "bridges as a tree (parent -> child; bridges show bus=SEC-SUB), every function with its\n"
      "BDF, id and kind, and the StreamIDs of functions behind an SMMUv3. A bold edge goes\n"
      "from each assigned guest function (passthrough) to its host function. Functions and\n"
      "edges a finding involves are red, with the finding code on the label; findings that\n"
      "name no function are listed in a red note.\n"
      "\n"
      "OUT's suffix picks the format: .dot (DOT text, the same bytes on every run), .svg or\n"
      ".png (laid out with dot and rendered in-process).\n"
      "\n"
      "  -o OUT         the file to write (required)\n"
      "  --what LAYERS  comma-separated; default all:\n"
      "                   groups          each IOMMU group as a shaded box with its number\n"
      "                   aliases         dashed edges from a function to the function whose\n"
      "                                   requester ID its DMA carries (a PCIe-to-PCI bridge,\n"
      "                                   a VMD owner, a quirk alias), with the RID and StreamID\n"
      "                   address-spaces  the DMA address space on each function (as IOMMU:RID)\n"
      "                   all             all three\n"
      "\n"
      "exit: 0 written, 2 invalid input or command line (nothing is written)\n"
      "example: dmasim graph scenarios/seeds/001-smmu-duplicate-stream-id.yaml -o smmu.png\n" },
    { "test", cmd_test,
      "run scenario files (directories recursively) against their expect sections",
      "usage: dmasim test [--tap] [--junit FILE] [--filter PATTERN] PATH...\n"
      "\n"
      "Run every scenario (a directory is searched recursively for *.yaml) and compare it with\n"
      "its expect section: findings as an exact multiset of (code, subject), groups as a\n"
      "partition of the functions listed (order-free; functions not listed are not checked),\n"
      "aliases in walk order. One line per scenario (PASS, FAIL with what is missing and what\n"
      "is extra, INVALID, or ok for a scenario without expectations), then N passed, M failed.\n"
      "\n"
      "  --tap              TAP version 13 on stdout instead: plan 1..N, then per scenario\n"
      "                     \"ok N - PATH (NAME)\" or \"not ok N - ...\" with a YAML block\n"
      "                     (message, and the differences or the load diagnostics)\n"
      "  --junit FILE       also write JUnit XML to FILE (replaced whole, never half-written):\n"
      "                     one testcase per scenario, classname its directory\n"
      "                     (scenarios.seeds), name the file; <failure> for unmet\n"
      "                     expectations, <error> for a file that does not load; no times,\n"
      "                     so the same every run\n"
      "  --filter PATTERN   only the scenarios whose path, as printed, matches the shell glob\n"
      "                     PATTERN ('*' matches '/' too) or contains it; none is an error\n"
      "\n"
      "exit: 0 every scenario met its expectations, 1 some failed, 2 some file is invalid\n"
      "      (or --filter matched nothing)\n"
      "example: dmasim test scenarios/\n"
      "         dmasim test --tap --junit report.xml --filter '*/seeds/*' scenarios/\n" },
    { "import", cmd_import,
      "write a scenario from a QEMU command line, lspci -vvv text or a sysfs snapshot",
      "usage: dmasim import qemu|lspci|sysfs INPUT\n"
      "\n"
      "Write a scenario to stdout, with a comment on every value that was derived or assumed,\n"
      "so that dmasim check runs on it at once (the output is loaded before it is printed):\n"
      "\n"
      "  qemu ARGS-FILE|-   a QEMU command line: one string, or one argument per line, with\n"
      "                     backslash continuations; -machine q35|pc|virt, -device ..., -cpu;\n"
      "                     the VM is the machine guest, each vfio-pci host= device also a\n"
      "                     function of host\n"
      "  lspci FILE|-       the text of lspci -vvv -nn (with or without -D), optionally\n"
      "                     followed by lspci -tv; IOMMU group lines become the host's groups\n"
      "                     and expect.groups\n"
      "  sysfs DIR          a copy of /sys/bus/pci/devices made by tools/dmasim-capture;\n"
      "                     iommu_group links become the host's groups and expect.groups\n"
      "\n"
      "When the input carries the groups the real kernel formed, dmasim test on the output\n"
      "says whether dmasim's prediction agrees with the real machine.\n"
      "\n"
      "exit: 0 written, 2 unreadable or unusable input (errors as INPUT:LINE: error: ...)\n"
      "example: dmasim import lspci lspci.txt > mine.yaml && dmasim test mine.yaml\n" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

const struct cli_cmd *cli_find(const char *name)
{
    for (size_t i = 0; i < NCMDS; i++)
        if (strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    return NULL;
}

static void usage(FILE *f)
{
    fputs("usage: dmasim COMMAND [OPTIONS] FILE...\n"
          "\n"
          "dmasim answers questions about PCI DMA topology from a YAML scenario: which requester\n"
          "IDs a device's DMA carries, which devices share an IOMMU group, what a BAR sizing\n"
          "sequence maps, whether a mapping fits the IOMMU. Same input, same output, every time.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < NCMDS; i++)
        fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
    fputs("\n"
          "options: --json (machine-readable output), --help (per command: dmasim show --help),\n"
          "         --version\n"
          "exit:    0 no error finding, 1 error findings (test: a scenario failed),\n"
          "         2 invalid input or command line\n"
          "\n"
          "start with: dmasim show scenarios/basic/minimal.yaml\n"
          "the scenario format: docs/format.md\n",
          f);
}

int main(int argc, char **argv)
{
    const struct cli_cmd *cmd;
    const char *names[NCMDS];
    const char *close;

    if (argc < 2) {
        usage(stderr);
        return DMASIM_EXIT_INVALID;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        if (argc > 2 && (cmd = cli_find(argv[2]))) {
            fputs(cmd->usage, stdout);
            return DMASIM_EXIT_OK;
        }
        usage(stdout);
        return DMASIM_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dmasim %s\n", DMASIM_VERSION);
        return DMASIM_EXIT_OK;
    }
    cmd = cli_find(argv[1]);
    if (!cmd) {
        for (size_t i = 0; i < NCMDS; i++)
            names[i] = cmds[i].name;
        close = suggest_closest(argv[1], names, NCMDS);
        if (close)
            fprintf(stderr, "dmasim: unknown command '%s' (did you mean '%s'?)\n", argv[1], close);
        else
            fprintf(stderr, "dmasim: unknown command '%s'\n", argv[1]);
        fputs("Try 'dmasim --help'.\n", stderr);
        return DMASIM_EXIT_INVALID;
    }
    return cmd->run(argc - 1, argv + 1);
}
