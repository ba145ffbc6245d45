//! The per-project daily request quota: every API request a client id makes (uploads included)
//! counts against one budget per Pacific day, shared by all of that project's users.

use std::collections::HashMap;

/// Seconds west of UTC of Pacific standard time; the quota day turns at its midnight.
const PACIFIC: i64 = 8 * 3600;

pub fn day_of(now: i64) -> i64 {
    (now - PACIFIC).div_euclid(86_400)
}

#[derive(Debug)]
pub struct Quota {
    pub daily: u64,
    used: HashMap<String, (i64, u64)>,
}

impl Quota {
    pub fn new(daily: u64) -> Quota {
        Quota {
            daily,
            used: HashMap::new(),
        }
    }

    /// Counts one request of `project` at `now`, or refuses it when today's budget is spent.
    pub fn take(&mut self, project: &str, now: i64) -> bool {
        let today = day_of(now);
        let entry = self.used.entry(project.to_string()).or_insert((today, 0));
        if entry.0 != today {
            *entry = (today, 0);
        }
        if entry.1 >= self.daily {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Requests `project` made today.
    pub fn used(&self, project: &str, now: i64) -> u64 {
        match self.used.get(project) {
            Some((day, n)) if *day == day_of(now) => *n,
            _ => 0,
        }
    }

    pub fn clear(&mut self) {
        self.used.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_per_project_and_turns_at_pacific_midnight() {
        let mut q = Quota::new(2);
        // 2025-01-02 07:59:59 UTC is still 2025-01-01 in Pacific time.
        let t = 1_735_804_799;
        assert!(q.take("a", t) && q.take("a", t));
        assert!(!q.take("a", t));
        assert!(q.take("b", t));
        assert_eq!(q.used("a", t), 2);
        assert!(q.take("a", t + 1));
        assert_eq!(q.used("a", t + 1), 1);
    }
}
