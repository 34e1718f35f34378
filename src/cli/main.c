#include <stdio.h>
int main(void) { fprintf(stderr, "srdi-report: under construction\n"); return 2; }
