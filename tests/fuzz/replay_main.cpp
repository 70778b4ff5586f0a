// The fuzz targets without libFuzzer: runs every file of the folders (or the
// files) named on the command line through LLVMFuzzerTestOneInput once, and
// the empty input. A crash, a sanitizer report or a failed check ends the
// program (non-zero); a clean pass prints how many inputs ran.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
        std::exit(1);
    }
    std::fprintf(stderr, "replay: %s\n", file.c_str());  // the input a crash below belongs to
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t inputs = 0;
    LLVMFuzzerTestOneInput(nullptr, 0);
    ++inputs;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path path = argv[i];
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::directory_iterator(path))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                run(f);
                ++inputs;
            }
        } else if (std::filesystem::exists(path, ec)) {
            run(path);
            ++inputs;
        }
        // A folder that does not exist (no regression found yet) is no input.
    }
    std::printf("replay: %zu inputs, no crash\n", inputs);
    return 0;
}
