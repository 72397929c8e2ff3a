// Move-only owners for libssh's C handles. Only remote/*.cpp include this header, so
// libssh never leaks into code that merely uses remote/.
//
// Teardown order is the caller's contract: channels before the session that made them,
// and a session is disconnected before it is freed (SessionDeleter does both).
#pragma once

#include <libssh/libssh.h>

#include <memory>

namespace rdt {

struct SessionDeleter {
    void operator()(ssh_session session) const
    {
        if (ssh_is_connected(session))
            ssh_disconnect(session);
        ssh_free(session);
    }
};
struct ChannelDeleter {
    void operator()(ssh_channel channel) const
    {
        // ssh_channel_free sends CLOSE when the channel is still open and the session
        // is alive; it never blocks on a dead session.
        ssh_channel_free(channel);
    }
};
struct KeyDeleter {
    void operator()(ssh_key key) const { ssh_key_free(key); }
};
struct KnownHostsEntryDeleter {
    void operator()(ssh_knownhosts_entry *entry) const { ssh_knownhosts_entry_free(entry); }
};
struct LibsshStringDeleter {
    void operator()(char *text) const { ssh_string_free_char(text); }
};

using SessionHandle = std::unique_ptr<ssh_session_struct, SessionDeleter>;
using ChannelHandle = std::unique_ptr<ssh_channel_struct, ChannelDeleter>;
using KeyHandle = std::unique_ptr<ssh_key_struct, KeyDeleter>;
using KnownHostsEntryHandle = std::unique_ptr<ssh_knownhosts_entry, KnownHostsEntryDeleter>;
using LibsshString = std::unique_ptr<char, LibsshStringDeleter>;

} // namespace rdt
