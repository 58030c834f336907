// Home page: lists live and recently ended streams from the API.
// All text goes in with textContent: titles are user input.
async function fill(listId, status) {
  const ul = document.getElementById(listId);
  try {
    const res = await fetch(`/api/streams/?status=${status}&limit=20`);
    const body = await res.json();
    if (!res.ok) throw new Error(body?.error?.message || res.statusText);
    ul.replaceChildren();
    if (body.items.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = status === 'live' ? 'Nobody is live right now.' : 'No streams yet.';
      ul.append(li);
    }
    for (const s of body.items) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `/watch/${s.id}`;
      a.textContent = s.title;
      li.append(a, ` by ${s.owner.username}`);
      ul.append(li);
    }
  } catch (err) {
    ul.replaceChildren();
    const li = document.createElement('li');
    li.textContent = `Could not load streams: ${err.message}`;
    ul.append(li);
  }
}
fill('live', 'live');
fill('ended', 'ended');
