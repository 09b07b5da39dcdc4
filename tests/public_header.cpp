// public_header.cpp - the installed headers compiled as C++ (extern "C",
// no C-only constructs), with the same checks as public_header.c.
#include "public_header.c"
