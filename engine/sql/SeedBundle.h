#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QString>

namespace mutt::sql {

// Path of the MUTT v2.5 seed bundle compiled into the engine (a copy of
// resources/seed/mutt_v25_seed.json): 5 rules, 3 development hosts and 4
// team mappings, the rows database/mutt_schema.sql inserts.
inline constexpr QLatin1StringView kMuttV25SeedResource(":/mutt/seed/mutt_v25_seed.json");

// Reads and parses a rule bundle file (a path or a ":/" resource).
Result<RuleBundle> loadRuleBundleFile(const QString &path);

// The MUTT v2.5 seed bundle from the engine's resources.
Result<RuleBundle> loadMuttV25Seed();

}  // namespace mutt::sql
