//! Google's daily request quota, kept in the catalog across runs: the day is Google's
//! (it turns at midnight Pacific), the count is every request photosync made that day.

use crate::catalog::{Catalog, CatalogError};
use crate::destinations::gphotos::api::Client;

/// Seconds west of UTC of Pacific standard time. Google's quota day turns at midnight
/// Pacific; in daylight time that is an hour before this day turns, so photosync never
/// believes in a fresh budget before Google does.
const PACIFIC: i64 = 8 * 3600;

/// Days since the epoch in (standard) Pacific time.
pub fn pacific_day(unix: i64) -> i64 {
    (unix - PACIFIC).div_euclid(86_400)
}

/// The day's request count.
#[derive(Clone)]
pub struct Quota {
    pub backend: String,
    pub day: i64,
    pub used_before: u64,
    pub calls_before: u64,
    pub daily: u64,
}

impl Quota {
    /// Reads today's count and gives `client` what is left of the day's budget.
    pub fn start(
        catalog: &mut Catalog,
        client: &Client,
        backend: &str,
        daily: u64,
    ) -> Result<Quota, CatalogError> {
        let day = pacific_day(client.server_now());
        let used = catalog.gphotos_quota_used(backend, day)?;
        client.set_budget(daily.saturating_sub(used) + client.calls());
        Ok(Quota {
            backend: backend.to_string(),
            day,
            used_before: used,
            calls_before: client.calls(),
            daily,
        })
    }

    /// Requests counted today, this run's included.
    pub fn used(&self, client: &Client) -> u64 {
        self.used_before + client.calls().saturating_sub(self.calls_before)
    }

    pub fn save(&self, catalog: &mut Catalog, client: &Client) -> Result<(), CatalogError> {
        catalog.gphotos_quota_set(&self.backend, self.day, self.used(client))
    }

    /// Google said the day's budget is spent, whatever photosync counted.
    pub fn spent(&self, catalog: &mut Catalog, client: &Client) -> Result<(), CatalogError> {
        if client.budget_left() > 0 {
            catalog.gphotos_quota_set(&self.backend, self.day, self.daily)?;
            client.set_budget(client.calls());
        }
        Ok(())
    }
}
