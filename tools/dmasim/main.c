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
      "usage: dmasim check [--json] FILE...\n"
      "\n"
      "Load every scenario, validate it completely and report on it. Each file must be valid:\n"
      "if any is not, the errors go to stderr as FILE:LINE:COL: error: ... and nothing is\n"
      "printed on stdout (exit 2).\n"
      "\n"
      "For now the report is the topology tree of each machine (as `dmasim show` prints it):\n"
      "requester-ID aliases, IOMMU groups, IOVA ranges, BAR replay and their findings arrive\n"
      "with the next issues.\n"
      "\n"
      "  --json   one JSON document per scenario (FORMAT.md section 3); with several files,\n"
      "           a JSON array of them\n"
      "\n"
      "exit: 0 no error finding, 1 error findings, 2 invalid input or command line\n"
      "example: dmasim check scenarios/topology/*.yaml\n" },
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
    { "groups", cmd_pending,
      "IOMMU groups, one per line (--explain: why members could not be separated)",
      "usage: dmasim groups [--json] [--explain] FILE\n"
      "\nNot built yet: arrives with issue 3 (requester-ID aliases and IOMMU groups).\n" },
    { "iova", cmd_pending,
      "IOVA ranges per IOMMU and group: what VFIO reports, what functions can use",
      "usage: dmasim iova [--json] FILE\n"
      "\nNot built yet: arrives with issue 4 (IOMMU units and IOVA ranges).\n" },
    { "aliases", cmd_pending, "every function with its requester-ID aliases",
      "usage: dmasim aliases [--json] FILE\n"
      "\nNot built yet: arrives with issue 3 (requester-ID aliases and IOMMU groups).\n" },
    { "replay", cmd_pending,
      "run the replay section; print each op and the mapping events it caused",
      "usage: dmasim replay [--json] FILE\n"
      "\nNot built yet: arrives with issue 5 (BAR sizing replay).\n" },
    { "explore", cmd_pending, "run the explore section (every interleaving of config accesses)",
      "usage: dmasim explore [--json] FILE\n"
      "\nNot built yet: arrives with issue 5 (the exhaustive explorer).\n" },
    { "graph", cmd_pending, "render the topology; the format follows OUT's suffix (.dot .svg .png)",
      "usage: dmasim graph FILE -o OUT\n"
      "\nNot built yet: arrives with issue 6 (topology graphs).\n" },
    { "test", cmd_pending,
      "run scenario files (directories recursively) against their expect sections",
      "usage: dmasim test PATH...\n"
      "\nNot built yet: arrives with issue 3 (dmasim test).\n" },
    { "import", cmd_pending,
      "write a scenario from a QEMU command line, lspci -vvv text or a sysfs snapshot",
      "usage: dmasim import qemu|lspci|sysfs INPUT\n"
      "\nNot built yet: arrives with issue 7 (importers).\n" },
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
