#pragma once
// A simulated device (phone, desktop, laptop, tablet): a local store and a mail application
// speaking POP3 or IMAP (and SMTP to send) over its link to the server. What the device does
// with mail is the policy of its MailApp; the protocol engines only speak.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "world/world.hpp"

namespace ms {

// The mail application on a device. One subclass per protocol (world/app_pop3.cpp,
// world/app_imap.cpp); it opens connections, feeds its client engine a plan, and applies the
// engine's events to the device's local store.
class MailApp {
 public:
  explicit MailApp(Device& d) : d_(d) {}
  virtual ~MailApp() = default;
  virtual void start() {}          // the device joined the world or came back online
  virtual void check_mail() = 0;   // "Get Mail" / a poll / a reconnect
  virtual void read(const std::string& folder, std::uint32_t uid) = 0;
  virtual void set_flag(const std::string& folder, std::uint32_t uid, Flag f, bool on) = 0;
  virtual void remove(const std::string& folder, std::uint32_t uid) = 0;
  virtual void send(Body message) = 0;
  virtual void empty_trash() = 0;
  virtual void went_offline() {}
  virtual std::string state() const = 0;  // one line for the inspector

 protected:
  // Sets or clears one flag on the device's own copy; false if the copy is gone.
  bool set_local_flag(const std::string& folder, std::uint32_t uid, Flag f, bool on);
  // Checks mail every `minutes()` minutes (read afresh each time, so a policy change applies)
  // while the device is not lost; one timer at a time.
  void schedule_poll(std::function<int()> minutes);

  Device& d_;
  bool poll_scheduled_ = false;
};

std::unique_ptr<MailApp> make_pop3_app(Device& d);
std::unique_ptr<MailApp> make_imap_app(Device& d);

class Device {
 public:
  Device(World& w, DeviceSpec spec, Proto proto);
  ~Device();
  World& world() { return w_; }
  const std::string& name() const { return spec_.name; }
  const DeviceSpec& spec() const { return spec_; }
  // New settings from now on (the user changed the app's preferences or the link): recorded
  // in the trace, so the views show the settings in force at each moment. The app reads them
  // afresh at its next connection or poll.
  void set_settings(const DeviceSettings& s);
  Proto proto() const { return proto_; }
  Store& store() { return store_; }
  const Store& store() const { return store_; }
  MailApp& app() { return *app_; }
  bool online() const { return online_ && !lost_; }
  bool lost() const { return lost_; }

  // Scenario actions, protocol-agnostic. `n` is the scenario message number (1-based); the
  // device finds its own copy of that message by Message-ID.
  void check_mail();
  void read(int n);
  void flag(int n, Flag f, bool on);
  void remove(int n);
  void send(const std::string& to, const std::string& subject, const std::string& text,
            int reply_to = 0);
  // Forwards scenario message n to `to` and marks the original $Forwarded (RFC 5550).
  void forward(int n, const std::string& to, const std::string& text);
  void empty_trash();
  void go_offline();
  void go_online();
  void lose();
  // The user moves the account to another protocol ("move to IMAP", world/scenario_actions.hpp):
  // from now on the device's app is that protocol's. The old app is kept, retired: a timer or a
  // session it started may still call it, and it then does nothing (is_current_app).
  void switch_app(Proto p);
  bool is_current_app(const MailApp& a) const { return app_.get() == &a; }

  // The local copy of scenario message n (folder, local uid), if the device holds one.
  // Searches INBOX first, then other folders.
  std::optional<std::pair<std::string, std::uint32_t>> find_copy(int n) const;
  // Connection the app currently uses (nullptr if none).
  Connection* conn = nullptr;

 private:
  World& w_;
  DeviceSpec spec_;
  Proto proto_;
  Store store_;
  std::unique_ptr<MailApp> app_;
  std::vector<std::unique_ptr<MailApp>> retired_apps_;
  bool online_ = true;
  bool lost_ = false;
  int sent_count_ = 0;
};

}  // namespace ms
