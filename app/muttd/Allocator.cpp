#include "Allocator.h"

#if defined(MUTT_WITH_JEMALLOC)
#include <jemalloc/jemalloc.h>
#endif

namespace mutt::muttd {

QString allocatorDescription()
{
#if defined(MUTT_WITH_JEMALLOC)
    const char *version = nullptr;
    size_t size = sizeof(version);
    // Asking jemalloc itself shows that it, not the C library, serves malloc.
    if (mallctl("version", static_cast<void *>(&version), &size, nullptr, 0) == 0 && version)
        return QStringLiteral("jemalloc %1").arg(QString::fromLatin1(version).section(u'-', 0, 0));
    return QStringLiteral("jemalloc (version unknown)");
#else
    return QStringLiteral("C library malloc");
#endif
}

}  // namespace mutt::muttd
