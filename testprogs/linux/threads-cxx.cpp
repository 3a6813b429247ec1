// std::thread, std::mutex, std::condition_variable and thread_local in C++ (libstdc++ on
// pthreads): several workers fill disjoint slices and add into a shared total.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

static std::mutex m;
static long total = 0;
thread_local int calls = 0;

static long sum_slice(const std::vector<long> &v, size_t from, size_t to) {
    ++calls;
    return std::accumulate(v.begin() + from, v.begin() + to, 0L);
}

int main() {
    std::vector<long> data(60000);
    std::iota(data.begin(), data.end(), 1);
    std::vector<std::thread> workers;
    std::vector<int> callsSeen(4, -1);
    for (int w = 0; w < 4; w++) {
        workers.emplace_back([&, w] {
            size_t n = data.size() / 4;
            long part = 0;
            for (size_t from = w * n; from < (w + 1) * n; from += 1000) part += sum_slice(data, from, from + 1000);
            std::lock_guard<std::mutex> g(m);
            total += part;
            callsSeen[w] = calls;
        });
    }
    for (auto &t : workers) t.join();
    std::printf("total %ld (expected %ld)\n", total, 60000L * 60001 / 2);
    for (int w = 0; w < 4; w++) std::printf("worker %d calls %d\n", w, callsSeen[w]);
    std::printf("main's calls %d\n", calls);

    // A producer/consumer pair on a condition variable.
    std::condition_variable cv;
    std::vector<int> queue;
    bool done = false;
    long consumed = 0;
    std::thread consumer([&] {
        std::unique_lock<std::mutex> l(m);
        for (;;) {
            cv.wait(l, [&] { return !queue.empty() || done; });
            while (!queue.empty()) { consumed += queue.back(); queue.pop_back(); }
            if (done) break;
        }
    });
    for (int i = 1; i <= 100; i++) {
        std::lock_guard<std::mutex> g(m);
        queue.push_back(i);
        cv.notify_one();
    }
    {
        std::lock_guard<std::mutex> g(m);
        done = true;
    }
    cv.notify_one();
    consumer.join();
    std::printf("consumed %ld\n", consumed);
    std::printf("hardware_concurrency >= 1: %d\n", std::thread::hardware_concurrency() >= 1);
    return 0;
}
