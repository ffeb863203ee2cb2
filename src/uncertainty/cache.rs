//! What a run's draws remember: each mix's percentiles, a bounded set of mixes' draws (the
//! rest are drawn again from the seed when needed), and the classes of sites met so far.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Class, MixDraws, MixKey, SiteInputs};

/// A class of sites: the mix, the inputs they gave, and the published rate their draws are
/// centred on (its bits; none for the mix model's own intensity).
pub(super) type ClassKey = (MixKey, SiteInputs, Option<u64>);

#[derive(Default)]
pub(super) struct Cache {
    pub(super) mixes: HashMap<MixKey, Arc<MixDraws>>,
    /// The intensities of the mixes used last, each with the tick of its last use.
    pub(super) kept: HashMap<MixKey, (Arc<Vec<f64>>, u64)>,
    tick: u64,
    pub(super) class_ids: HashMap<ClassKey, usize>,
    pub(super) classes: Vec<Arc<Class>>,
    /// The published datasets whose rates were drawn, for the description.
    pub(super) published: BTreeSet<String>,
}

impl Cache {
    /// Keep a mix's intensities, forgetting the least recently used beyond the budget (the
    /// one just kept stays, whatever the number of draws).
    pub(super) fn keep(&mut self, key: &MixKey, intensity: Arc<Vec<f64>>, budget: usize) {
        self.tick += 1;
        // Every mix has one value per draw.
        let most = (budget / intensity.len().max(1)).max(1);
        self.kept.insert(key.clone(), (intensity, self.tick));
        while self.kept.len() > most {
            let Some(oldest) = self.kept.iter().min_by_key(|(_, (_, t))| *t).map(|(k, _)| k.clone()) else {
                break;
            };
            self.kept.remove(&oldest);
        }
    }

    /// A kept mix's intensities, marked as used now.
    pub(super) fn kept(&mut self, key: &MixKey) -> Option<Arc<Vec<f64>>> {
        self.tick += 1;
        let tick = self.tick;
        self.kept.get_mut(key).map(|(v, t)| {
            *t = tick;
            v.clone()
        })
    }

    /// The class with this key, if made already.
    pub(super) fn class(&self, key: &ClassKey) -> Option<(usize, Arc<Class>)> {
        self.class_ids.get(key).map(|&id| (id, self.classes[id].clone()))
    }

    /// Add a class (or return the one another thread added first under the same key).
    pub(super) fn add_class(&mut self, key: ClassKey, class: Arc<Class>) -> (usize, Arc<Class>) {
        if let Some(known) = self.class(&key) {
            return known;
        }
        let id = self.classes.len();
        self.classes.push(class.clone());
        self.class_ids.insert(key, id);
        (id, class)
    }
}
