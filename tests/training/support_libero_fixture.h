// Writes small LIBERO-layout HDF5 files with the HDF5 API for the data tests, with every
// value a known function of (demo, step, column) so tests can compute expectations
// independently; options leave out or mis-shape parts to test the error paths.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdt::fixture {

struct LiberoFixture {
    std::vector<int> demo_steps = {5, 70};  // one demo_i per entry, i = 0, 1, ...
    int image_height = 8;
    int image_width = 6;
    std::string instruction = "put the black bowl on the plate";
    bool write_problem_info = true;
    bool write_ee_pos_ori = true;   // obs/ee_pos and obs/ee_ori
    bool write_ee_states = true;    // obs/ee_states = [pos, axis-angle]
    std::vector<std::string> omit;  // demo-relative datasets left out, e.g. "obs/joint_states"
    int joint_columns = 7;          // != 7 writes a mis-shaped obs/joint_states
    int image_frames_delta = 0;     // frames written = steps + delta (mis-shaped when != 0)
    bool compress_images = false;   // chunked one frame a chunk, deflate level 4
};

// The values written (float64 in the file, as LIBERO's).
double fixtureAction(int demo, int t, int column);    // columns 0-5 in [-1, 1]; 6 is -1 or +1
double fixtureJoint(int demo, int t, int joint);
double fixtureGripper(int demo, int t, int finger);   // finger 0 >= 0, finger 1 <= 0
double fixtureEePos(int demo, int t, int axis);
double fixtureEeOri(int demo, int t, int axis);       // axis-angle, angle < pi
// The upright image's pixel; the file stores row y at row H-1-y.
uint8_t fixturePixel(int demo, int t, int camera, int y, int x, int channel);

void writeLiberoFixture(const std::string& path, const LiberoFixture& fixture);

// A fresh, empty folder for one test's files.
std::string fixtureFolder(const std::string& testName);

}  // namespace rdt::fixture
