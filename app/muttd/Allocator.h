#pragma once

#include <QString>

namespace mutt::muttd {

// Returns the memory allocator muttd runs with, for `muttd version`: "jemalloc
// 5.3.0" when built with MUTT_WITH_JEMALLOC, otherwise "C library malloc".
QString allocatorDescription();

}  // namespace mutt::muttd
