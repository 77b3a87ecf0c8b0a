// Who fills which approval group: each person counts toward at most one group of a file, and as many
// places as possible are filled.

/** Who may approve a file's groups; each group takes up to `need` people, one group per person. */
export interface Slot {
  need: number;
  accepts: (login: string) => boolean;
}

/**
 * Assigns people to groups so that as many places as possible are filled, each person in at most
 * one group: a bipartite b-matching by augmenting paths. Greedy assignment is not enough: with an
 * owner who is also a manager and an owner who is not, only one of the two ways fills both groups.
 * People left over once the matching is maximal join a group they qualify for, so `approved_by`
 * shows every approval that counts.
 */
export function assignToGroups(people: readonly string[], slots: readonly Slot[]): string[][] {
  const assigned: string[][] = slots.map(() => []);
  const groupOf = new Map<string, number>();
  const place = (person: string, visited: Set<number>): boolean => {
    for (let g = 0; g < slots.length; g++) {
      if (visited.has(g) || !slots[g]!.accepts(person)) continue;
      visited.add(g);
      const members = assigned[g]!;
      if (members.length < slots[g]!.need) {
        members.push(person);
        groupOf.set(person, g);
        return true;
      }
      for (const other of [...members]) {
        // Move `other` elsewhere to make room for `person`.
        members.splice(members.indexOf(other), 1);
        groupOf.delete(other);
        if (place(other, visited)) {
          members.push(person);
          groupOf.set(person, g);
          return true;
        }
        members.push(other);
        groupOf.set(other, g);
      }
    }
    return false;
  };
  for (const person of people) place(person, new Set());
  for (const person of people) {
    if (groupOf.has(person)) continue;
    const g = slots.findIndex((slot) => slot.accepts(person));
    if (g >= 0) assigned[g]!.push(person);
  }
  return assigned;
}
