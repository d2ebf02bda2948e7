#pragma once

#include <rapidjson/document.h>

#include <QList>
#include <QPair>
#include <QString>

namespace mutt::event::snmp {

using Varbind = QPair<QString, QString>;  // OID (without leading dot), value as text

// Varbinds of a trap's `variables` (or `varbinds`) field in any of the shapes
// senders use: an array of {"oid": …, "value": …} objects (also "name"), an
// array of [oid, value] pairs, an object mapping OID to value, or the
// PowerShell renderings "@{oid=…; value=…}" of the MUTT v2.5 demo traps.
// Array entries of another shape become a varbind with an empty OID and the
// entry's text as value.
QList<Varbind> varbinds(const rapidjson::Value &event);

// The sending host of a trap without hostname: agent_address, then
// source_ip (non-empty strings). Empty when neither is usable.
QString trapSource(const rapidjson::Value &event);

// "SNMP trap 1.3.6.1.6.3.1.1.5.3 from 192.168.1.65: 1.3.6.1.2.1.2.2.1.1=2, …"
// (without the colon part when there are no varbinds).
QString trapMessage(const QString &trapOid, const QString &source, const QList<Varbind> &binds);

// trap_oid text without leading dots.
QString stripLeadingDots(QString oid);

}  // namespace mutt::event::snmp
