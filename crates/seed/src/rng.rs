//! The generator's own pseudo-random numbers: xoshiro256** seeded through
//! SplitMix64, and the few distributions the generator draws from.
//!
//! Written out here rather than taken from `rand` so the sequence for a seed
//! never changes with a dependency upgrade, and built only from integer and
//! basic IEEE-754 arithmetic (no `ln`, `exp` or `cos` from the platform's
//! maths library), so the same seed gives the same rows on every machine.

/// SplitMix64: seeds xoshiro and mixes stream labels into seeds.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting at `state`.
    pub fn new(state: u64) -> Self {
        Self(state)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, good enough
/// statistically for synthetic data.
#[derive(Clone, Debug)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator whose state SplitMix64 derives from `seed`.
    pub fn from_seed(seed: u64) -> Self {
        let mut mix = SplitMix64::new(seed);
        Self {
            state: [mix.next_u64(), mix.next_u64(), mix.next_u64(), mix.next_u64()],
        }
    }

    /// An independent stream for one part of the data, named by a path of
    /// labels (e.g. org number, "customer", customer number): the same seed
    /// and path always give the same stream, whatever else was drawn before.
    pub fn derive(seed: u64, path: &[u64]) -> Self {
        let mut key = SplitMix64::new(seed).next_u64();
        for label in path {
            key = SplitMix64::new(key ^ SplitMix64::new(*label ^ 0x5EED_D00D_CAFE_F00D).next_u64()).next_u64();
        }
        Self::from_seed(key)
    }

    /// A generator with exactly this state (for reference vectors).
    #[cfg(test)]
    fn with_state(state: [u64; 4]) -> Self {
        Self { state }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = &mut self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = *s1 << 17;
        *s2 ^= *s0;
        *s3 ^= *s1;
        *s1 ^= *s2;
        *s0 ^= *s3;
        *s2 ^= t;
        *s3 = s3.rotate_left(45);
        result
    }

    /// A uniform float in `[0, 1)` with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, bound)` without modulo bias (Lemire's method);
    /// 0 when `bound` is 0.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// A uniform index into a collection of `len` items (0 when empty).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A uniform integer in `[low, high)`; `low` when the range is empty.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        low + self.below(high.abs_diff(low)) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An index chosen with probability proportional to `weights[i]`
    /// (0 when every weight is 0).
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return 0;
        }
        let mut target = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if target < *weight {
                return index;
            }
            target -= weight;
        }
        weights.len() - 1
    }

    /// An approximately standard normal value: the Irwin–Hall sum of twelve
    /// uniforms minus six (mean 0, variance 1, tails cut at ±6).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }

    /// A log-normal value with the given median and shape (`sigma` of the
    /// underlying normal): long right tails like real dwell times.
    pub fn log_normal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }

    /// A Poisson count with mean `lambda` (Knuth's method; fine below ~30).
    pub fn poisson(&mut self, lambda: f64) -> u32 {
        if lambda <= 0.0 {
            return 0;
        }
        let limit = exp(-lambda);
        let mut product = self.unit();
        let mut count = 0;
        while product > limit && count < 1_000 {
            product *= self.unit();
            count += 1;
        }
        count
    }
}

/// `e^x` from basic arithmetic only: `x = k·ln 2 + r` with `|r| ≤ ln 2 / 2`,
/// a Taylor series for `e^r`, and `2^k` built from its bits. Accurate to a
/// few units in the last place over the range the generator uses.
pub fn exp(x: f64) -> f64 {
    const LN_2: f64 = std::f64::consts::LN_2;
    if x.is_nan() {
        return x;
    }
    if x > 700.0 {
        return f64::INFINITY;
    }
    if x < -700.0 {
        return 0.0;
    }
    let k = (x / LN_2).round();
    let r = x - k * LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=18 {
        term *= r / f64::from(n);
        sum += term;
    }
    // 2^k as an f64: the exponent field is k + 1023 (|k| ≤ 1010 here).
    let two_to_k = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    sum * two_to_k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        let mut mix = SplitMix64::new(0);
        assert_eq!(mix.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(mix.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(mix.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn xoshiro_matches_the_reference_sequence() {
        let mut rng = Rng::with_state([1, 2, 3, 4]);
        assert_eq!(rng.next_u64(), 11_520);
        assert_eq!(rng.next_u64(), 0);
        assert_eq!(rng.next_u64(), 1_509_978_240);
        assert_eq!(rng.next_u64(), 1_215_971_899_390_074_240);
    }

    #[test]
    fn same_seed_and_path_same_stream_different_path_different_stream() {
        let draw = |seed, path: &[u64]| {
            let mut rng = Rng::derive(seed, path);
            (0..8).map(|_| rng.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(42, &[1, 2]), draw(42, &[1, 2]));
        assert_ne!(draw(42, &[1, 2]), draw(42, &[2, 1]));
        assert_ne!(draw(42, &[1, 2]), draw(43, &[1, 2]));
        assert_ne!(draw(42, &[1]), draw(42, &[1, 0]));
    }

    #[test]
    fn below_stays_in_range_and_covers_it_evenly() {
        let mut rng = Rng::from_seed(7);
        let mut counts = [0u32; 10];
        for _ in 0..100_000 {
            counts[rng.below(10) as usize] += 1;
        }
        for count in counts {
            assert!((9_500..10_500).contains(&count), "{counts:?}");
        }
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.range(5, 5), 5);
        for _ in 0..1_000 {
            assert!((-3..4).contains(&rng.range(-3, 4)));
        }
    }

    #[test]
    fn unit_floats_are_in_range_with_mean_one_half() {
        let mut rng = Rng::from_seed(1);
        let values: Vec<f64> = (0..100_000).map(|_| rng.unit()).collect();
        assert!(values.iter().all(|value| (0.0..1.0).contains(value)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean - 0.5).abs() < 0.005, "{mean}");
    }

    #[test]
    fn chance_and_weighted_follow_their_probabilities() {
        let mut rng = Rng::from_seed(3);
        let hits = (0..100_000).filter(|_| rng.chance(0.2)).count();
        assert!((19_000..21_000).contains(&hits), "{hits}");
        let mut counts = [0u32; 3];
        for _ in 0..60_000 {
            counts[rng.weighted(&[1.0, 2.0, 3.0])] += 1;
        }
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
        assert!((19_000..21_000).contains(&counts[1]), "{counts:?}");
        assert!((29_000..31_000).contains(&counts[2]), "{counts:?}");
        assert_eq!(rng.weighted(&[0.0, 0.0]), 0);
    }

    #[test]
    fn normal_has_mean_zero_and_unit_variance() {
        let mut rng = Rng::from_seed(11);
        let values: Vec<f64> = (0..100_000).map(|_| rng.normal()).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let variance = values.iter().map(|value| (value - mean) * (value - mean)).sum::<f64>() / values.len() as f64;
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((variance - 1.0).abs() < 0.03, "{variance}");
    }

    #[test]
    fn log_normal_has_the_requested_median_and_a_long_right_tail() {
        let mut rng = Rng::from_seed(5);
        let mut values: Vec<f64> = (0..50_001).map(|_| rng.log_normal(72.0, 0.8)).collect();
        values.sort_by(f64::total_cmp);
        let median = values[values.len() / 2];
        assert!((median - 72.0).abs() < 72.0 * 0.03, "{median}");
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!(mean > median * 1.2, "right-skewed: mean {mean} vs median {median}");
        assert!(values.iter().all(|value| *value > 0.0));
    }

    #[test]
    fn poisson_has_the_requested_mean() {
        let mut rng = Rng::from_seed(9);
        for lambda in [0.5, 3.0, 12.0] {
            let mean = (0..50_000).map(|_| f64::from(rng.poisson(lambda))).sum::<f64>() / 50_000.0;
            assert!((mean - lambda).abs() < lambda * 0.03 + 0.01, "λ {lambda}: {mean}");
        }
        assert_eq!(rng.poisson(0.0), 0);
    }

    #[test]
    fn exp_agrees_with_the_platform_to_a_few_ulps() {
        for step in -4_000..=4_000 {
            let x = f64::from(step) / 200.0;
            let ours = exp(x);
            let reference = x.exp();
            assert!(((ours - reference) / reference).abs() < 1e-14, "exp({x}) = {ours}, expected {reference}");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-1_000.0), 0.0);
        assert!(exp(1_000.0).is_infinite());
    }
}
