/* yaml_baseline FILE -- parse FILE with libyaml's event API and nothing else: the yardstick
 * for the loader (the target is loading within 1.5x of this). Prints events and seconds. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <yaml.h>

int main(int argc, char **argv)
{
    yaml_parser_t p;
    yaml_event_t ev;
    unsigned long n = 0;
    struct timespec a, b;
    FILE *f;
    int done = 0;

    if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
        fprintf(stderr, "usage: yaml_baseline FILE\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "parse error\n");
            return 1;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        n++;
    }
    yaml_parser_delete(&p);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("libyaml: %lu events in %.3f s\n", n,
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    fclose(f);
    return 0;
}
