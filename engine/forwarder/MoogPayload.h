#pragma once

#include <QByteArray>

namespace mutt::event {
class Event;
}

namespace mutt::forwarder {

// Builds the Moogsoft event for one alert queue item, as compact JSON.
// Fields and their sources:
//   signature       the alert's signature, else its hostname, else "unknown"
//   source_id       hostname ("unknown" when missing)
//   external_id     _correlation_id ("unknown" when missing)
//   manager         "MUTT"
//   source          "MUTT Alerter"
//   class           team_assignment ("Unknown" when missing)
//   agent           "MUTT Console <version>"
//   agent_location  "Alerter Service"
//   type            "Alert"
//   severity        Moogsoft number of the alert severity (event::moogSeverity)
//   description     message_body
//   agent_time      agentTimeSeconds (epoch seconds)
//   custom_info     raw_json, when it is an object or a string holding one
QByteArray buildMoogPayload(const event::Event &alert, qint64 agentTimeSeconds);

}  // namespace mutt::forwarder
