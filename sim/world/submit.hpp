#pragma once
// Mail submission from a device: an SMTP session (RFC 6409) over the device's link to the
// server's submission service. Shared by the POP3 and IMAP apps: both protocols send the same
// way; they differ only in where the sent copy is kept.
#include <functional>

#include "world/device.hpp"

namespace ms {

// Opens a submission connection and sends `message`; calls done(true) once the server
// accepted it, done(false) if it was refused or the device is offline.
void submit(Device& d, Body message, std::function<void(bool)> done);

}  // namespace ms
