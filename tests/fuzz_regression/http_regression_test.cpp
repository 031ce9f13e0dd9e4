// Replays tests/fuzz_regression/corpus/http through the HTTP fuzz entry point. The entry
// aborts on a crash or an insane answer, so a regression fails this test loudly.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

TEST(FuzzHttpRegression, EveryCorpusInputIsHandledWithoutCrashing) {
  std::size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(HTTP_CORPUS_DIR)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
        0);
    ++replayed;
  }
  EXPECT_GE(replayed, 10u) << "the corpus in " << HTTP_CORPUS_DIR << " went missing";
}

}  // namespace
