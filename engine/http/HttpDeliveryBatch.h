#pragma once

#include <QtGlobal>

namespace mutt::http {

// While one lives on a thread, the responses that HttpResponder::send() on
// that thread hands to connections of other threads are collected. Its
// destructor posts them with one event for each I/O thread, instead of one
// event (and wake-up) for each response. A nested batch leaves the
// collecting to the outer one. Responses for the thread's own connections
// are delivered at once, as without a batch.
class HttpDeliveryBatch final {
public:
    HttpDeliveryBatch();
    ~HttpDeliveryBatch();
    Q_DISABLE_COPY_MOVE(HttpDeliveryBatch)

private:
    bool m_outermost = false;
};

}  // namespace mutt::http
