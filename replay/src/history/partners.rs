//! Every partner's versions, kept in portfolio order — latest name, then id — as of the last
//! [`Partners::sort`], so a portfolio is built almost sorted and its final sort is a pass.

use std::collections::HashMap;
use std::sync::Arc;

use super::versions::{Version, Versions};

#[derive(Debug, Default)]
pub(super) struct Partners {
    list: Vec<(String, Versions)>,
    index: HashMap<String, usize>,
    /// A partner was added or renamed since the last sort.
    unsorted: bool,
}

impl Partners {
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Versions)> {
        self.list.iter().map(|(id, v)| (id.as_str(), v))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Versions> {
        let i = *self.index.get(id)?;
        Some(&mut self.list[i].1)
    }

    /// Appends a version to partner `id`'s, adding the partner if new.
    pub fn push(&mut self, id: &str, version: Version) -> &Versions {
        let i = match self.index.get(id) {
            Some(i) => *i,
            None => {
                self.index.insert(id.to_owned(), self.list.len());
                self.list.push((id.to_owned(), Versions::default()));
                self.unsorted = true;
                self.list.len() - 1
            }
        };
        let versions = &mut self.list[i].1;
        let identity = |v: Option<&Version>| {
            v.and_then(|v| v.line.as_ref())
                .map(|l| Arc::clone(&l.identity))
        };
        let before = identity(versions.by_position.last());
        let after = version.line.as_ref().map(|l| Arc::clone(&l.identity));
        self.unsorted |= match (&before, &after) {
            (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
            (a, b) => a.is_some() != b.is_some(),
        };
        versions.push(version);
        versions
    }

    /// Puts the partners back in portfolio order after additions or renames.
    pub fn sort(&mut self) {
        if !self.unsorted {
            return;
        }
        self.list.sort_by_cached_key(|(id, versions)| {
            let line = versions.by_position.last().and_then(|v| v.line.as_ref());
            let name = line.map(|l| (l.identity.name.clone(), l.identity.partner_id));
            (name, id.clone())
        });
        self.index = self
            .list
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.clone(), i))
            .collect();
        self.unsorted = false;
    }
}
