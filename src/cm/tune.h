#pragma once
#include <cstdlib>
namespace nzip::cm {
inline int tune(const char* name, int def) { const char* v = std::getenv(name); return v ? std::atoi(v) : def; }
}
