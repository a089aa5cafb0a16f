#pragma once
// An addon's configuration as an immutable snapshot (addons/addon.h): workers load it for
// every hook, `configure` stores a new one; neither ever sees half of a change.

#include <atomic>
#include <memory>

namespace spyglass::addons {

template <class T> class ConfigSlot
{
public:
    ConfigSlot() : m_value(std::make_shared<const T>()) {}
    std::shared_ptr<const T> load() const { return m_value.load(std::memory_order_acquire); }
    void store(std::shared_ptr<const T> value)
    {
        m_value.store(std::move(value), std::memory_order_release);
    }

private:
    std::atomic<std::shared_ptr<const T>> m_value;
};

} // namespace spyglass::addons
