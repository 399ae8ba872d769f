//! One stable sort for the whole module.
//!
//! `slice::sort_by` is instantiated anew for every element type and
//! comparator, about 1.5 KB of wasm each. Results, expansions and facet
//! values are short lists, so they all go through this single
//! non-generic merge sort of indices instead, keeping the module small.

use std::cmp::Ordering;

/// The stable order of `0..n` under `cmp` (bottom-up merge sort).
pub fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut a: Vec<u32> = (0..n as u32).collect();
    let mut b = a.clone();
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let mid = (i + width).min(n);
            let end = (i + 2 * width).min(n);
            let (mut l, mut r, mut k) = (i, mid, i);
            while l < mid && r < end {
                if cmp(a[r] as usize, a[l] as usize) == Ordering::Less {
                    b[k] = a[r];
                    r += 1;
                } else {
                    b[k] = a[l];
                    l += 1;
                }
                k += 1;
            }
            b[k..k + mid - l].copy_from_slice(&a[l..mid]);
            k += mid - l;
            b[k..k + end - r].copy_from_slice(&a[r..end]);
            i = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// The first `k` of `0..n` under `cmp`, in order, as a stable sort would
/// give them (ties go to the lower index); the others are left out
/// unsorted. Costs O(n log k): a binary heap keeps the `k` best seen so
/// far.
pub fn top_order(n: usize, k: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    if k >= n {
        return order(n, cmp);
    }
    // A max-heap: the root is the worst of the best k. Ties broken by
    // index make the order total, so which elements are kept is the
    // stable sort's choice too.
    let worse = |a: u32, b: u32| cmp(a as usize, b as usize).then(a.cmp(&b)) == Ordering::Greater;
    let mut heap: Vec<u32> = Vec::with_capacity(k);
    for x in 0..n as u32 {
        if heap.len() < k {
            heap.push(x);
            let mut i = heap.len() - 1;
            while i > 0 && worse(heap[i], heap[(i - 1) / 2]) {
                heap.swap(i, (i - 1) / 2);
                i = (i - 1) / 2;
            }
        } else if k > 0 && worse(heap[0], x) {
            heap[0] = x;
            let mut i = 0;
            loop {
                let (l, r) = (2 * i + 1, 2 * i + 2);
                let mut top = i;
                if l < k && worse(heap[l], heap[top]) {
                    top = l;
                }
                if r < k && worse(heap[r], heap[top]) {
                    top = r;
                }
                if top == i {
                    break;
                }
                heap.swap(i, top);
                i = top;
            }
        }
    }
    // Sorted under the same total order: equal elements by index, as a
    // stable sort leaves them.
    let by = |a: usize, b: usize| cmp(heap[a] as usize, heap[b] as usize).then(heap[a].cmp(&heap[b]));
    order(heap.len(), &by).into_iter().map(|i| heap[i as usize]).collect()
}

/// The elements of `v` at `indices`, in that order (each index at most
/// once); the others are dropped.
fn pick<T>(v: Vec<T>, indices: Vec<u32>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = v.into_iter().map(Some).collect();
    indices.into_iter().filter_map(|i| slots[i as usize].take()).collect()
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    *v = pick(std::mem::take(v), order);
}

/// The first `k` elements of `v` in the order of `cmp`, sorted, as a
/// stable sort would give them; the others are dropped unsorted. Costs
/// O(n log k). Generic only in this thin wrapper: the heap works on
/// indices ([`top_order`]), one copy in the module for every caller.
pub fn top_k<T>(v: Vec<T>, k: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let indices = top_order(v.len(), k, &|a, b| cmp(&v[a], &v[b]));
    pick(v, indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut seed = 12345u32;
        for n in [0, 1, 2, 3, 7, 8, 9, 100, 1000] {
            let mut v: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed % 17, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, expected, "n = {n}");
        }
    }

    /// `n` pairs (pseudo-random value below `values`, index), from `seed`.
    fn pairs(seed: &mut u32, n: usize, values: u32) -> Vec<(u32, usize)> {
        (0..n)
            .map(|i| {
                *seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((*seed >> 8) % values, i)
            })
            .collect()
    }

    #[test]
    fn top_k_is_the_beginning_of_the_stable_sort_even_with_ties() {
        let mut seed = 99u32;
        for n in [0usize, 1, 2, 5, 33, 500] {
            // Few distinct values: many ties, told apart by the index.
            let v = pairs(&mut seed, n, 3);
            let mut stable = v.clone();
            stable.sort_by_key(|a| a.0);
            for k in [0, 1, 3, 10, n / 2, n, n + 5] {
                let top = top_k(v.clone(), k, |a, b| a.0.cmp(&b.0));
                assert_eq!(top, stable[..k.min(n)].to_vec(), "n = {n}, k = {k}");
            }
        }
    }

    #[test]
    fn top_k_is_the_beginning_of_the_sorted_list() {
        let mut seed = 7u32;
        for n in [0usize, 1, 2, 5, 33, 500] {
            // Distinct keys (value, index): a total order without ties.
            let v = pairs(&mut seed, n, 23);
            let mut sorted = v.clone();
            sorted.sort();
            for k in [0, 1, 3, 10, n / 2, n, n + 5] {
                let top = top_k(v.clone(), k, |a, b| a.cmp(b));
                assert_eq!(top, sorted[..k.min(n)].to_vec(), "n = {n}, k = {k}");
            }
        }
    }
}
