/* json_check FILE -- exit 0 when FILE holds exactly one valid JSON value (the CLI tests use it
 * to prove --json output parses, with the same library that wrote it: jansson). */
#include <stdio.h>

#include <jansson.h>

int main(int argc, char **argv)
{
    json_error_t err;
    json_t *v;

    if (argc != 2) {
        fprintf(stderr, "usage: json_check FILE\n");
        return 2;
    }
    v = json_load_file(argv[1], 0, &err);
    if (!v) {
        fprintf(stderr, "%s:%d:%d: %s\n", argv[1], err.line, err.column, err.text);
        return 1;
    }
    json_decref(v);
    return 0;
}
