#pragma once

#include <QByteArray>

namespace mutt::event {
class Event;
}

namespace mutt::forwarder {

// The Moogsoft event for one alert queue item, as compact JSON:
// signature (the alert's signature, else its hostname, else "unknown"),
// source_id (hostname), external_id (_correlation_id), manager "MUTT",
// source "MUTT Alerter", class (team_assignment), agent "MUTT Console
// <version>", agent_location "Alerter Service", type "Alert", severity
// (Moogsoft number of the alert severity), description (message_body),
// agent_time (epoch seconds) and custom_info (raw_json, when it is an object
// or a string holding a JSON object).
QByteArray buildMoogPayload(const event::Event &alert, qint64 agentTimeSeconds);

}  // namespace mutt::forwarder
