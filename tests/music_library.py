"""A music library for the tests: several artists, 150+ Bright Eyes songs."""

from __future__ import annotations

from dataclasses import dataclass

BRIGHT_EYES_ALBUMS = {
    "I'm Wide Awake, It's Morning": [
        "At the Bottom of Everything",
        "We Are Nowhere and It's Now",
        "Old Soul Song (For the New World Order)",
        "Lua",
        "Train Under Water",
        "First Day of My Life",
        "Another Travelin' Song",
        "Land Locked Blues",
        "Poison Oak",
        "Road to Joy",
    ],
    "Lifted or The Story Is in the Soil, Keep Your Ear to the Ground": [
        "The Big Picture",
        "Method Acting",
        "False Advertising",
        "You Will. You? Will. You? Will. You? Will.",
        "Lover I Don't Have to Love",
        "Bowl of Oranges",
        "Don't Know When but a Day Is Gonna Come",
        "Nothing Gets Crossed Out",
        "Make War",
        "Waste of Paint",
        "Laura Laurent",
        "Let's Not Shit Ourselves (To Love and to Be Loved)",
    ],
    "Cassadaga": [
        "Clairaudients (Kill or Be Killed)",
        "Four Winds",
        "If the Brakeman Turns My Way",
        "Hot Knives",
        "Make a Plan to Love Me",
        "Soul Singer in a Session Band",
        "Classic Cars",
        "Middleman",
        "Cleanse Song",
        "No One Would Riot for Less",
        "Coat Check Dream Song",
        "I Must Belong Somewhere",
        "Lime Tree",
    ],
}
# Demos, live takes and B-sides make up the rest of the 150+.
_PLACES = ["Omaha", "Lincoln", "Nebraska", "Brooklyn", "Laurel Canyon", "Saddle Creek"]
_THINGS = ["Letters", "Windows", "Rivers", "Winter", "Feathers", "Lanterns", "Mornings"]
BRIGHT_EYES_EXTRAS = {
    "Noise Floor (Rarities)": [
        f"{thing} from {place}" for thing in _THINGS for place in _PLACES
    ],
    "Live at the Bottom": [
        f"{title} (Live)"
        for title in BRIGHT_EYES_ALBUMS["I'm Wide Awake, It's Morning"]
    ]
    + [f"{title} (Live)" for title in BRIGHT_EYES_ALBUMS["Cassadaga"]]
    + [f"Song {n} (Demo)" for n in range(1, 101)],
}
OTHERS = {
    ("Phoebe Bridgers", "indie folk"): {
        "Punisher": ["Garden Song", "Kyoto", "Punisher", "Halloween", "I Know the End"],
        "Stranger in the Alps": ["Motion Sickness", "Funeral", "Home"],
    },
    ("Edward Sharpe", "indie folk"): {"Up from Below": ["Home", "40 Day Dream"]},
    ("Norah Jones", "jazz"): {
        "Come Away with Me": ["Don't Know Why", "Come Away with Me", "Shoot the Moon"],
    },
    ("Miles Davis", "jazz"): {
        "Kind of Blue": ["So What", "Blue in Green", "All Blues"]
    },
    ("Daft Punk", "electronic"): {
        "Discovery": [
            "One More Time",
            "Digital Love",
            "Harder, Better, Faster, Stronger",
        ],
    },
    ("Frédéric Chopin", "classical"): {"Nocturnes": ["Nocturne in E-flat Major"]},
}
PLAYLISTS = {
    "Chill": ["Kyoto", "Blue in Green", "Lua"],
    "Comfort": ["First Day of My Life", "Garden Song", "Don't Know Why"],
    "Party Mix": ["One More Time", "Digital Love"],
    "Focus": ["Nocturne in E-flat Major", "So What"],
    "Sleep": ["Nocturne in E-flat Major", "Blue in Green"],
}


@dataclass(frozen=True, slots=True)
class Song:
    """A track in the library."""

    title: str
    artist: str
    album: str
    genre: str

    @property
    def uri(self) -> str:
        """Return the track's id in the library."""
        return f"library://track/{self.artist}/{self.album}/{self.title}"


def songs() -> list[Song]:
    """Return every track."""
    found = [
        Song(title, "Bright Eyes", album, "indie folk")
        for album, titles in {**BRIGHT_EYES_ALBUMS, **BRIGHT_EYES_EXTRAS}.items()
        for title in titles
    ]
    found += [
        Song(title, artist, album, genre)
        for (artist, genre), albums in OTHERS.items()
        for album, titles in albums.items()
        for title in titles
    ]
    return found
