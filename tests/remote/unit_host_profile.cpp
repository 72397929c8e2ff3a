// HostProfile and HostProfileStore: a round trip through a throwaway INI file, duplicate
// names refused with a message that says so, duplicate/rename/remove, suggestions from the
// Host aliases of an ssh_config text, and the route with the profile's overrides.
#include "HostProfile.h"
#include "HostProfileStore.h"
#include "SshConfig.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using rdt::HostProfile;
using rdt::HostProfileStore;
using rdt::SshConfig;

namespace {

HostProfile labProfile()
{
    HostProfile profile;
    profile.name = QStringLiteral("lab A800");
    profile.host = QStringLiteral("gpu01");
    profile.jumps = {QStringLiteral("bastion"), QStringLiteral("alice@jump2:2222")};
    profile.user = QStringLiteral("rdt");
    profile.port = 2200;
    profile.identityFile = QStringLiteral("/keys/id_lab");
    profile.remoteRoot = QStringLiteral("/data/rdt");
    profile.localDatasetPath = QStringLiteral("/datasets/libero_10.hdf5");
    profile.localModelPath = QStringLiteral("/models/rdt-170m");
    profile.libtorchFolder = QStringLiteral("/opt/libtorch");
    return profile;
}

QStringList names(const QList<HostProfile> &profiles)
{
    QStringList out;
    for (const HostProfile &profile : profiles)
        out.append(profile.name);
    return out;
}

} // namespace

class HostProfileTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString iniFile(const QString &name) const { return m_dir.filePath(name); }

    SshConfig parse(const QByteArray &text)
    {
        rdt::Result<SshConfig> config = SshConfig::parse(text, QStringLiteral("test_config"), m_dir.path());
        if (!config)
            qWarning("parse failed: %s", qPrintable(config.error().message));
        return config ? config.value() : SshConfig();
    }

private slots:
    void roundTripThroughIniFile()
    {
        const QString file = iniFile(QStringLiteral("roundtrip.ini"));
        HostProfile bare;
        bare.name = QStringLiteral("plain");
        bare.host = QStringLiteral("user@10.0.0.5:22");
        {
            HostProfileStore store(file);
            QVERIFY(store.load());
            QVERIFY(store.profiles().isEmpty());
            rdt::Result<void> saved = store.save(labProfile());
            QVERIFY2(saved, qPrintable(saved.error().message));
            saved = store.save(bare);
            QVERIFY2(saved, qPrintable(saved.error().message));
        }
        // A fresh store on the same file sees exactly what was saved, in order.
        HostProfileStore reread(file);
        rdt::Result<void> loaded = reread.load();
        QVERIFY2(loaded, qPrintable(loaded.error().message));
        QCOMPARE(reread.profiles().size(), 2);
        QVERIFY(reread.profiles().at(0) == labProfile());
        QVERIFY(reread.profiles().at(1) == bare);
        QVERIFY(reread.profiles().at(1).jumps.isEmpty());
        QCOMPARE(reread.profiles().at(1).port, 0);
        QCOMPARE(reread.profiles().at(1).remoteRoot, QStringLiteral("~/RoboticsDiffusionTransformer"));

        // The layout on disk: a "profiles" array, and no secret-looking key anywhere.
        QSettings raw(file, QSettings::IniFormat);
        QCOMPARE(raw.value(QStringLiteral("profiles/size")).toInt(), 2);
        QCOMPARE(raw.value(QStringLiteral("profiles/1/host")).toString(), QStringLiteral("gpu01"));
        for (const QString &key : raw.allKeys())
            QVERIFY2(!key.contains(QLatin1String("pass"), Qt::CaseInsensitive), qPrintable(key));
    }

    void duplicateNamesAreRefused()
    {
        HostProfileStore store(iniFile(QStringLiteral("duplicates.ini")));
        QVERIFY(store.load());
        QVERIFY(store.save(labProfile()));
        HostProfile other = labProfile();
        other.host = QStringLiteral("gpu02");
        const rdt::Result<void> again = store.save(other);
        QVERIFY(!again);
        QCOMPARE(again.error().code, rdt::ErrorCode::InvalidArgument);
        QVERIFY2(again.error().message.contains(QLatin1String("'lab A800'"))
                     && again.error().message.contains(QLatin1String("already exists")),
                 qPrintable(again.error().message));
        QVERIFY2(again.error().message.contains(store.fileName()), qPrintable(again.error().message));
        QCOMPARE(store.profiles().size(), 1);
        QCOMPARE(store.profiles().first().host, QStringLiteral("gpu01"));

        // Renaming onto another profile's name is the same refusal; onto a free name works.
        HostProfile second = labProfile();
        second.name = QStringLiteral("second");
        QVERIFY(store.save(second));
        const rdt::Result<void> clash = store.rename(QStringLiteral("second"), QStringLiteral("lab A800"));
        QVERIFY(!clash);
        QVERIFY2(clash.error().message.contains(QLatin1String("already exists")), qPrintable(clash.error().message));
        QVERIFY(store.rename(QStringLiteral("second"), QStringLiteral("third")));
        QCOMPARE(names(store.profiles()), QStringList({QStringLiteral("lab A800"), QStringLiteral("third")}));

        // Saving under its own name (an edit) is not a clash.
        HostProfile edited = labProfile();
        edited.remoteRoot = QStringLiteral("/scratch/rdt");
        QVERIFY(store.save(edited, edited.name));
        QCOMPARE(store.find(QStringLiteral("lab A800"))->remoteRoot, QStringLiteral("/scratch/rdt"));

        // Invalid profiles say which field.
        HostProfile noHost;
        noHost.name = QStringLiteral("nowhere");
        const rdt::Result<void> invalid = store.save(noHost);
        QVERIFY(!invalid);
        QVERIFY2(invalid.error().message.contains(QLatin1String("host is empty")), qPrintable(invalid.error().message));
        HostProfile badPort = labProfile();
        badPort.name = QStringLiteral("bad port");
        badPort.port = 70000;
        const rdt::Result<void> port = store.save(badPort);
        QVERIFY(!port);
        QVERIFY2(port.error().message.contains(QLatin1String("70000")), qPrintable(port.error().message));
    }

    void duplicateAndRemove()
    {
        const QString file = iniFile(QStringLiteral("copies.ini"));
        HostProfileStore store(file);
        QVERIFY(store.load());
        QVERIFY(store.save(labProfile()));
        rdt::Result<HostProfile> copy = store.duplicate(QStringLiteral("lab A800"));
        QVERIFY2(copy, qPrintable(copy.error().message));
        QCOMPARE(copy->name, QStringLiteral("lab A800 (copy)"));
        HostProfile expected = labProfile();
        expected.name = copy->name;
        QVERIFY(copy.value() == expected);
        rdt::Result<HostProfile> second = store.duplicate(QStringLiteral("lab A800"));
        QVERIFY(second);
        QCOMPARE(second->name, QStringLiteral("lab A800 (copy 2)"));

        QVERIFY(store.remove(QStringLiteral("lab A800 (copy)")));
        const rdt::Result<void> missing = store.remove(QStringLiteral("lab A800 (copy)"));
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(QLatin1String("no profile")), qPrintable(missing.error().message));
        QVERIFY(!store.duplicate(QStringLiteral("not there")));

        HostProfileStore reread(file);
        QVERIFY(reread.load());
        QCOMPARE(names(reread.profiles()),
                 QStringList({QStringLiteral("lab A800"), QStringLiteral("lab A800 (copy 2)")}));
    }

    void handEditedDuplicatesAreKept()
    {
        const QString file = iniFile(QStringLiteral("hand.ini"));
        {
            QSettings raw(file, QSettings::IniFormat);
            raw.beginWriteArray(QStringLiteral("profiles"));
            for (int i = 0; i < 2; ++i) {
                raw.setArrayIndex(i);
                raw.setValue(QStringLiteral("name"), QStringLiteral("gpu"));
                raw.setValue(QStringLiteral("host"), QStringLiteral("gpu%1").arg(i));
            }
            raw.endArray();
        }
        HostProfileStore store(file);
        QVERIFY(store.load());
        QCOMPARE(names(store.profiles()), QStringList({QStringLiteral("gpu"), QStringLiteral("gpu (copy)")}));
        QCOMPARE(store.profiles().at(1).host, QStringLiteral("gpu1"));
    }

    void unwritableFileIsAnError()
    {
        // A regular file where the settings folder should be: no write can succeed there,
        // not even as root.
        const QString blocker = iniFile(QStringLiteral("not-a-folder"));
        {
            QFile file(blocker);
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const QString file = blocker + QStringLiteral("/profiles.ini");
        HostProfileStore store(file);
        QVERIFY(store.load());
        const rdt::Result<void> saved = store.save(labProfile());
        QVERIFY(!saved);
        QCOMPARE(saved.error().code, rdt::ErrorCode::LocalIo);
        QVERIFY2(saved.error().message.contains(file) && saved.error().message.contains(QLatin1String("write host profiles")),
                 qPrintable(saved.error().message));
        QVERIFY(store.profiles().isEmpty());  // memory still matches the (empty) file
    }

    void aliasesFromSshConfig()
    {
        const SshConfig config = parse(
            "Host *\n"
            "    ServerAliveInterval 30\n"
            "Host bastion\n"
            "    HostName bastion.example.org\n"
            "    User alice\n"
            "Host jump2 inner\n"
            "    HostName 10.1.0.2\n"
            "    Port 2222\n"
            "    ProxyJump bastion\n"
            "Host gpu01 gpu02 !gpu03\n"
            "    ProxyJump jump2\n"
            "Host gpu9?\n"
            "    User pattern\n"
            "Host direct\n"
            "    HostName 192.168.1.7\n"
            "Host odd\n"
            "    ProxyJump bob@bastion:2200\n"
            "Host proxied\n"
            "    ProxyCommand nc %h %p\n"
            "Host gpu01\n"
            "    User again\n");
        QCOMPARE(config.hostAliases(),
                 QStringList({QStringLiteral("bastion"), QStringLiteral("jump2"), QStringLiteral("inner"),
                              QStringLiteral("gpu01"), QStringLiteral("gpu02"), QStringLiteral("direct"),
                              QStringLiteral("odd"), QStringLiteral("proxied")}));

        const QList<HostProfile> suggestions = HostProfileStore::fromSshConfigAliases(config);
        // `proxied` is in: its ProxyCommand is run for it as ssh runs it.
        QCOMPARE(names(suggestions),
                 QStringList({QStringLiteral("bastion"), QStringLiteral("jump2"), QStringLiteral("inner"),
                              QStringLiteral("gpu01"), QStringLiteral("gpu02"), QStringLiteral("direct"),
                              QStringLiteral("odd"), QStringLiteral("proxied")}));
        auto suggestion = [&suggestions](const QString &name) {
            for (const HostProfile &profile : suggestions)
                if (profile.name == name)
                    return profile;
            return HostProfile();
        };
        QVERIFY(suggestion(QStringLiteral("bastion")).jumps.isEmpty());
        QCOMPARE(suggestion(QStringLiteral("jump2")).jumps, QStringList({QStringLiteral("bastion")}));
        // The whole chain, ProxyJump of the jump host included, in connection order.
        QCOMPARE(suggestion(QStringLiteral("gpu01")).jumps,
                 QStringList({QStringLiteral("bastion"), QStringLiteral("jump2")}));
        QCOMPARE(suggestion(QStringLiteral("gpu01")).host, QStringLiteral("gpu01"));
        // A ProxyJump element's own user and port are kept where the file would not give them.
        QCOMPARE(suggestion(QStringLiteral("odd")).jumps, QStringList({QStringLiteral("bob@bastion:2200")}));
        QCOMPARE(suggestion(QStringLiteral("gpu01")).user, QString());
        QCOMPARE(suggestion(QStringLiteral("gpu01")).port, 0);
        QCOMPARE(suggestion(QStringLiteral("gpu01")).remoteRoot, QStringLiteral("~/RoboticsDiffusionTransformer"));

        // A suggestion resolves to the same route as the alias itself.
        const rdt::Result<rdt::SshRoute> viaProfile = suggestion(QStringLiteral("gpu01")).toRoute(config);
        const rdt::Result<rdt::SshRoute> viaAlias = config.resolve(QStringLiteral("gpu01"));
        QVERIFY2(viaProfile, qPrintable(viaProfile.error().message));
        QVERIFY(viaAlias);
        QCOMPARE(viaProfile->hops().size(), viaAlias->hops().size());
        for (int i = 0; i < viaAlias->hops().size(); ++i) {
            QCOMPARE(viaProfile->hops().at(i).hostName, viaAlias->hops().at(i).hostName);
            QCOMPARE(viaProfile->hops().at(i).user, viaAlias->hops().at(i).user);
            QCOMPARE(viaProfile->hops().at(i).port, viaAlias->hops().at(i).port);
        }
    }

    void routeTakesTheProfileOverrides()
    {
        const SshConfig config = parse(
            "Host gpu01\n"
            "    HostName 10.2.0.1\n"
            "    User fromconfig\n"
            "    Port 2022\n"
            "    IdentityFile ~/.ssh/id_config\n"
            "    ProxyJump bastion\n"
            "Host bastion\n"
            "    HostName bastion.example.org\n"
            "Host other\n"
            "    HostName other.example.org\n");

        HostProfile profile;
        profile.name = QStringLiteral("gpu01 as rdt");
        profile.host = QStringLiteral("gpu01");
        rdt::Result<rdt::SshRoute> plain = profile.toRoute(config);
        QVERIFY2(plain, qPrintable(plain.error().message));
        QCOMPARE(plain->target.user, QStringLiteral("fromconfig"));
        QCOMPARE(plain->target.port, 2022);
        QCOMPARE(plain->jumps.size(), 1);
        QCOMPARE(plain->jumps.first().hostName, QStringLiteral("bastion.example.org"));

        profile.user = QStringLiteral("rdt");
        profile.port = 2200;
        profile.identityFile = QStringLiteral("/keys/id_lab");
        profile.jumps = {QStringLiteral("carol@other:2201")};
        rdt::Result<rdt::SshRoute> route = profile.toRoute(config);
        QVERIFY2(route, qPrintable(route.error().message));
        QCOMPARE(route->target.hostName, QStringLiteral("10.2.0.1"));
        QCOMPARE(route->target.user, QStringLiteral("rdt"));
        QCOMPARE(route->target.port, 2200);
        QCOMPARE(route->target.identityFiles.first(), QStringLiteral("/keys/id_lab"));
        QCOMPARE(route->target.identityFiles.at(1), m_dir.path() + QStringLiteral("/.ssh/id_config"));
        // The profile's jumps replace ProxyJump, as `-J` does.
        QCOMPARE(route->jumps.size(), 1);
        QCOMPARE(route->jumps.first().hostName, QStringLiteral("other.example.org"));
        QCOMPARE(route->jumps.first().user, QStringLiteral("carol"));
        QCOMPARE(route->jumps.first().port, 2201);
        QCOMPARE(route->jumps.first().identityFiles.first(), QStringLiteral("/keys/id_lab"));

        // Errors name the profile and keep ssh_config's reason.
        profile.jumps = {QStringLiteral("bad host name")};
        const rdt::Result<rdt::SshRoute> broken = profile.toRoute(config);
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.contains(QLatin1String("host profile 'gpu01 as rdt'")),
                 qPrintable(broken.error().message));
    }
};

QTEST_GUILESS_MAIN(HostProfileTest)
#include "unit_host_profile.moc"
