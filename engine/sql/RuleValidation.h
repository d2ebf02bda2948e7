#pragma once

#include "core/Result.h"
#include "sql/SqlTypes.h"

#include <QString>
#include <QStringList>

namespace mutt::sql {

// Limits of the alert_rules, development_hosts and device_teams columns
// (MUTT v2.5 schema), counted in characters (Unicode code points).
inline constexpr int kMaxMatchLength = 255;  // match_string, trap_oid
inline constexpr int kMaxHandlingLength = 100;  // prod_handling, dev_handling, team_assignment
inline constexpr int kMaxHostnameLength = 255;

// Checks a rule before it is written. Every failure is InvalidInput with a
// message that starts with the field name, prefixed with `path` (for
// example "rules[3]." in a bundle), and ends with the fix:
//   - match_type is one of contains, regex, oid_prefix;
//   - match_string or trap_oid is given; a given one is not blank and has
//     at most 255 characters;
//   - contains and regex need match_string, oid_prefix needs trap_oid;
//   - trap_oid is dotted digits with an optional leading dot (".1.3.6.1");
//   - a regex compiles with RE2, case-insensitive (the message carries
//     RE2's error text);
//   - syslog_severity is null or 0..7;
//   - prod_handling, dev_handling and team_assignment are not blank and
//     have at most 100 characters.
// priority may be any 32-bit integer (lower wins); id is not checked.
Status validateRule(const AlertRule &rule, const QString &path = {});

// True for the handling values that forward to the alert queue:
// Page_and_ticket, Page_only and Ticket_only, in any case and with any
// surrounding whitespace. The alerter decides with this, and the rule checks
// warn with it.
bool handlingForwards(const QString &handling);

// Warnings for a valid rule whose prod_handling or dev_handling does not
// forward to Moogsoft (handlingForwards). As in
// MUTT v2.5, other values are stored, and matching events are only recorded
// in the event audit log, so a typo such as "Page" stops paging without an
// error.
// The non-forwarding values MUTT v2.5 documents (Ignore, Email_only,
// Log_only, Suppress; any case) give no warning. Each warning names the
// field, prefixed with `path`, the value and the values that forward.
QStringList handlingWarnings(const AlertRule &rule, const QString &path = {});

// A development host or team hostname: not blank, no surrounding
// whitespace, at most 255 characters. `field` names it in the message.
Status validateHostname(const QString &hostname, const QString &field = QStringLiteral("hostname"));

// A team name (device_teams.team_assignment): not blank, at most 100
// characters.
Status validateTeamName(const QString &team, const QString &field = QStringLiteral("team_assignment"));

// True for contains, regex and oid_prefix.
bool isKnownMatchType(const QString &matchType);

// Length in Unicode code points, the unit of the VARCHAR(n) limits.
int characterCount(const QString &text);

}  // namespace mutt::sql
