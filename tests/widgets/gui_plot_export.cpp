// The dashboard's exports read back: the plot as PNG, SVG and PDF at the size shown and at
// a size given (QImage, QSvgRenderer, the PDF's header and page count), the current run's
// metrics as CSV (parsed, every metric per step), the visible curves' smoothed values
// (against a debiased EMA worked out here), errors that leave no file, the export dialog
// (screenshot) and the menu driven as a user does.
#include "DashboardExportButton.h"
#include "PlotExportDialog.h"
#include "RunDashboard.h"
#include "RunPlot.h"
#include "RunPlotControls.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace rdt;

namespace {

const QString kRunA = QStringLiteral("libero10-rdt170m-bs32");
const QString kRunB = QStringLiteral("libero10-rdt170m-bs16");
constexpr int kSteps = 500;

QList<MetricPoint> curve(double scale)
{
    QList<MetricPoint> points;
    for (int step = 1; step <= kSteps; ++step) {
        MetricPoint point;
        point.step = step;
        point.wallTime = 1795000000 + step * 0.5;
        point.loss = scale * (0.05 + 1.0 / std::sqrt(double(step))) * (1 + 0.1 * std::sin(step * 0.7));
        point.learningRate = 1e-4 * std::min(1.0, step / 50.0);
        point.gradNorm = 2.0 / std::sqrt(double(step));
        point.samplesPerSecond = 31.5 + (step % 7);
        points.append(point);
    }
    return points;
}

// Non-white pixels: an export that drew nothing has none.
int inkedPixels(const QImage &image)
{
    int inked = 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); y += 2)
        for (int x = 0; x < rgb.width(); x += 2)
            inked += rgb.pixel(x, y) != qRgb(255, 255, 255) ? 1 : 0;
    return inked;
}

QList<QStringList> readCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QStringList> rows;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.isEmpty())
            rows.append(QString::fromUtf8(line).split(QLatin1Char(',')));
    return rows;
}

bool saveScreenshot(QWidget *widget, const QString &name)
{
    QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
    const QString shot = QStringLiteral(RDT_SCREENSHOT_DIR "/") + name;
    qInfo("screenshot: %s", qPrintable(shot));
    return widget->grab().save(shot);
}

} // namespace

class PlotExportTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RunDashboard> m_dashboard;
    QList<MetricPoint> m_curveA = curve(1.0);

    QString path(const QString &name) const { return m_dir.filePath(name); }
    DashboardExportButton *button() const { return m_dashboard->exportButton(); }
    QCustomPlot *customPlot() const { return m_dashboard->plot()->customPlot(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dashboard = std::make_unique<RunDashboard>();
        m_dashboard->resize(1400, 900);
        m_dashboard->setRuns({RunRow{kRunA, RunRowState::Running, 0, 1000, qQNaN(), {}},
                              RunRow{kRunB, RunRowState::Finished, kSteps, kSteps, qQNaN(), {}}});
        m_dashboard->appendMetrics(kRunA, m_curveA);
        m_dashboard->appendMetrics(kRunB, curve(1.3));
        m_dashboard->addSample(kRunA, SampleEvent{100, 1795000050.25, 0.125});
        m_dashboard->addSample(kRunA, SampleEvent{200, 1795000100.25, 0.0625});
        m_dashboard->setCurrentRun(kRunA);
        m_dashboard->setOverlay(kRunB, true);
        m_dashboard->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_dashboard.get()));
        QCoreApplication::processEvents();
        QVERIFY2(saveScreenshot(m_dashboard.get(), QStringLiteral("dashboard-with-export.png")), "screenshot not saved");
    }

    void pngAtTheSizeShownAndAtASizeGiven()
    {
        const QSize shown = customPlot()->size();
        QVERIFY2(shown.width() > 300 && shown.height() > 200, qPrintable(QStringLiteral("plot is %1x%2").arg(shown.width()).arg(shown.height())));
        QVERIFY2(button()->exportPlot(path(QStringLiteral("shown.png"))), "export failed");
        QImage image(path(QStringLiteral("shown.png")));
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), shown);
        QVERIFY2(inkedPixels(image) > 1000, "the PNG is blank");

        Result<void> saved = button()->exportPlot(path(QStringLiteral("given.PNG")), QSize(1600, 900));
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
        image = QImage(path(QStringLiteral("given.PNG")));
        QCOMPARE(image.size(), QSize(1600, 900));
        QVERIFY2(inkedPixels(image) > 1000, "the PNG is blank");
        QDir().mkpath(QStringLiteral(RDT_SCREENSHOT_DIR));
        QVERIFY(image.save(QStringLiteral(RDT_SCREENSHOT_DIR "/plot-export-1600x900.png")));
    }

    void svgOpensAtTheSizeGiven()
    {
        Result<void> saved = button()->exportPlot(path(QStringLiteral("plot.svg")), QSize(1000, 600));
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
        QSvgRenderer renderer(path(QStringLiteral("plot.svg")));
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 1000, 600));
        QImage image(1000, 600, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        QVERIFY2(inkedPixels(image) > 1000, "the SVG draws nothing");
        // The axes' labels are text in the drawing, not pixels.
        QFile file(path(QStringLiteral("plot.svg")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("<text"));
    }

    void pdfHasOnePage()
    {
        Result<void> saved = button()->exportPlot(path(QStringLiteral("plot.pdf")));
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
        QFile file(path(QStringLiteral("plot.pdf")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray pdf = file.readAll();
        QVERIFY2(pdf.startsWith("%PDF-1."), pdf.left(16).constData());
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
        static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?!s)"));
        QCOMPARE(QString::fromLatin1(pdf).count(page), 1);
    }

    void badNamesSayWhyAndLeaveNoFile()
    {
        Result<void> saved = button()->exportPlot(path(QStringLiteral("plot.jpeg")));
        QVERIFY(!saved);
        QVERIFY2(saved.error().message.contains(QStringLiteral("must end in .png, .svg or .pdf")), qPrintable(saved.error().message));
        saved = button()->exportPlot(path(QStringLiteral("absent/plot.png")));
        QVERIFY(!saved);
        QVERIFY2(saved.error().message.contains(QStringLiteral("does not exist")), qPrintable(saved.error().message));
        saved = button()->exportPlot(path(QStringLiteral("tiny.png")), QSize(4, 4));
        QVERIFY(!saved);
        QVERIFY2(saved.error().message.contains(QStringLiteral("4 x 4 pixels")), qPrintable(saved.error().message));
        QVERIFY(!QFile::exists(path(QStringLiteral("tiny.png"))));
        // No temporary left behind by any export so far.
        const QStringList left = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden).filter(QRegularExpression(QStringLiteral("^\\.")));
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1Char(' '))));
    }

    void metricsCsvHasEveryMetricPerStep()
    {
        QVERIFY(button()->exportMetrics(kRunA, path(QStringLiteral("metrics.csv"))));
        const QList<QStringList> rows = readCsv(path(QStringLiteral("metrics.csv")));
        QCOMPARE(rows.size(), 1 + kSteps);
        QCOMPARE(rows.at(0), QStringList({"step", "time", "loss", "lr", "grad_norm", "samples_per_s", "sample_mse"}));
        const QStringList &row100 = rows.at(100);
        QCOMPARE(row100.at(0), QStringLiteral("100"));
        QCOMPARE(row100.at(2).toDouble(), m_curveA.at(99).loss);
        QCOMPARE(row100.at(3).toDouble(), m_curveA.at(99).learningRate);
        QCOMPARE(row100.at(6), QStringLiteral("0.125"));
        QCOMPARE(rows.at(101).at(6), QString());   // step 101 sampled nothing
        const Result<void> absent = button()->exportMetrics(QStringLiteral("nope"), path(QStringLiteral("nope.csv")));
        QVERIFY(!absent);
        QVERIFY(!QFile::exists(path(QStringLiteral("nope.csv"))));
    }

    void visibleCurvesAreTheSmoothedValuesDrawn()
    {
        RunPlot *plot = m_dashboard->plot();
        m_dashboard->plotControls()->smoothingSlider()->setValue(600);
        m_dashboard->setOverlay(kRunB, false);
        plot->setMetricVisible(PlotMetric::LearningRate, false);
        QVERIFY(button()->exportVisibleCurves(path(QStringLiteral("curves.csv"))));
        const QList<QStringList> rows = readCsv(path(QStringLiteral("curves.csv")));
        QVERIFY(rows.size() > kSteps);
        QCOMPARE(rows.at(0), QStringList({"run", "metric", "step", "value"}));
        QMap<QString, int> perMetric;
        QStringList smoothed;
        for (const QStringList &row : rows.mid(1)) {
            QCOMPARE(row.at(0), kRunA);   // run B is not overlaid any more
            ++perMetric[row.at(1)];
            if (row.at(1) == QLatin1String("loss_smoothed"))
                smoothed.append(row.at(3));
        }
        QVERIFY2(!perMetric.contains(QStringLiteral("lr")), "a hidden metric was exported");
        QCOMPARE(perMetric.value(QStringLiteral("loss")), kSteps);
        QCOMPARE(perMetric.value(QStringLiteral("loss_smoothed")), kSteps);
        // TensorBoard's debiased EMA, weight 0.6, worked out here.
        double ema = 0;
        for (int i = 0; i < kSteps; ++i) {
            ema = 0.6 * ema + 0.4 * m_curveA.at(i).loss;
            const double expected = ema / (1 - std::pow(0.6, i + 1));
            QVERIFY2(std::abs(smoothed.at(i).toDouble() - expected) < 1e-9 * std::max(1.0, expected),
                     qPrintable(QStringLiteral("step %1: %2, expected %3").arg(i + 1).arg(smoothed.at(i)).arg(expected)));
        }
        plot->setMetricVisible(PlotMetric::LearningRate, true);
        m_dashboard->setOverlay(kRunB, true);
    }

    void exportDialogFollowsFormatAndSize()
    {
        PlotExportDialog dialog(QSize(1180, 640), path(QStringLiteral("loss.png")));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.format(), PlotExporter::Format::Png);
        QVERIFY(dialog.size().isEmpty());   // "as shown"
        dialog.formatBox()->setCurrentIndex(dialog.formatBox()->findData(int(PlotExporter::Format::Svg)));
        emit dialog.formatBox()->activated(dialog.formatBox()->currentIndex());
        QCOMPARE(dialog.path(), path(QStringLiteral("loss.svg")));
        dialog.pathEdit()->setText(path(QStringLiteral("loss.pdf")));
        emit dialog.pathEdit()->textEdited(dialog.pathEdit()->text());
        QCOMPARE(dialog.format(), PlotExporter::Format::Pdf);
        dialog.customSizeButton()->setChecked(true);
        dialog.widthBox()->setValue(2400);
        dialog.heightBox()->setValue(1200);
        QCOMPARE(dialog.size(), QSize(2400, 1200));
        QVERIFY(saveScreenshot(&dialog, QStringLiteral("plot-export-dialog.png")));
    }

    void menuExportsTheCurrentRun()
    {
        QString asked;
        button()->setFileChooser([&](const QString &, const QString &suggested, const QString &) {
            asked = suggested;
            return path(QStringLiteral("from-menu.csv"));
        });
        QSignalSpy exported(button(), &DashboardExportButton::exported);
        QAction *metrics = nullptr;
        emit button()->menu()->aboutToShow();
        for (QAction *action : button()->menu()->actions())
            if (action->text() == QStringLiteral("Metrics of %1 as CSV…").arg(kRunA))
                metrics = action;
        QVERIFY2(metrics && metrics->isEnabled(), "no enabled metrics item naming the current run");
        metrics->trigger();
        QCOMPARE(exported.size(), 1);
        QVERIFY2(asked.endsWith(kRunA + QStringLiteral("-metrics.csv")), qPrintable(asked));
        QCOMPARE(readCsv(path(QStringLiteral("from-menu.csv"))).size(), 1 + kSteps);

        QSignalSpy requested(button(), &DashboardExportButton::configurationRequested);
        for (QAction *action : button()->menu()->actions())
            if (action->text().startsWith(QStringLiteral("Configuration of")))
                action->trigger();
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(0).toString(), kRunA);
    }
};

QTEST_MAIN(PlotExportTest)
#include "gui_plot_export.moc"
