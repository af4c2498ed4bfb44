/*
 * gen_topology N -- write a synthetic scenario of about N functions to stdout: as many
 * segments as needed, each with root ports leading to PCIe switches (one upstream port,
 * eight downstream ports) whose ports each hold an eight-function endpoint with BARs, plus
 * a PCIe-to-PCI bridge with conventional devices per root port. Deterministic.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long count, target;

static void fn(int depth, const char *id_prefix, unsigned long id, const char *kind, unsigned slot,
               unsigned func)
{
    printf("%*s- id: %s%lu\n%*s  kind: %s\n%*s  devfn: \"%x.%x\"\n", depth, "", id_prefix, id,
           depth, "", kind, depth, "", slot, func);
    count++;
}

static void bars(int depth, unsigned long n)
{
    printf("%*s  bars:\n", depth, "");
    printf("%*s    - { index: 0, type: mem64, size: 16K, address: 0x%" PRIx64 " }\n", depth, "",
           (uint64_t)0x4000000000 + (uint64_t)n * 0x4000);
    printf("%*s    - { index: 2, type: mem32, size: 4K }\n", depth, "");
}

int main(int argc, char **argv)
{
    unsigned long seg = 0;

    if (argc != 2 || (target = strtoul(argv[1], NULL, 10)) == 0) {
        fprintf(stderr, "usage: gen_topology N\n");
        return 2;
    }
    printf("name: synthetic-%lu\nhost:\n  platform: { arch: x86_64, cpu_phys_bits: 46 }\n"
           "  iommus:\n    - { id: dmar0, kind: vt-d, address_bits: 48 }\n  topology:\n",
           target);
    while (count < target) {
        printf("    - id: hb%lu\n      kind: host-bridge\n      segment: %lu\n      children:\n",
               seg, seg);
        /* 22 root ports x (root port 1 + upstream 1 + 8 downstream + bridge 1) buses < 256 */
        for (unsigned rp = 0; rp < 22 && count < target; rp++) {
            fn(8, "rp", count, "root-port", rp + 1, 0);
            printf("          acs: full\n          children:\n");
            fn(12, "usp", count, "upstream-port", 0, 0);
            printf("              children:\n");
            for (unsigned d = 0; d < 8 && count < target; d++) {
                fn(16, "dsp", count, "downstream-port", d, 0);
                printf("                  acs: full\n                  children:\n");
                for (unsigned f = 0; f < 8 && count < target; f++) {
                    unsigned long n = count;

                    fn(20, "ep", n, "endpoint", 0, f);
                    bars(20, n);
                }
            }
            fn(8, "br", count, "pcie-pci-bridge", rp + 1, 1);
            printf("          children:\n");
            for (unsigned s = 1; s < 5 && count < target; s++)
                fn(12, "pci", count, "pci-device", s, 0);
        }
        seg++;
    }
    return 0;
}
