#include "queue/redis/RedisScript.h"

#include <QCryptographicHash>

namespace mutt::queue {

RedisScript RedisScript::fromSource(const char *source)
{
    RedisScript script;
    script.source = QByteArray(source);
    script.sha1 = QCryptographicHash::hash(script.source, QCryptographicHash::Sha1).toHex();
    return script;
}

}  // namespace mutt::queue
