// Builds command lines for the POSIX shell on the server from argument vectors, so that
// any byte string (spaces, quotes, `$()`, newlines, unicode) arrives exactly as given.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace rdt {

using EnvironmentList = QList<QPair<QByteArray, QByteArray>>;

// One argument as a single-quoted word: 'it'\''s' for it's. Safe for every byte but NUL,
// which no argv can carry anyway.
QByteArray shellQuote(const QByteArray &argument);

// "env 'NAME=value' ... 'arg0' 'arg1' ..." — env(1) sets the variables without the shell
// interpreting them; names must be valid shell identifiers (asserted by the caller's
// validation, see isValidEnvironmentName).
QByteArray shellCommandLine(const QList<QByteArray> &argv, const EnvironmentList &environment = {});

bool isValidEnvironmentName(const QByteArray &name);

} // namespace rdt
