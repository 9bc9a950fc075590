// Placeholder entry point; the CLI lands in this folder.
#include <cstdio>
#include "nzip/nzip.h"
int main() { std::puts("nzip"); return 0; }
