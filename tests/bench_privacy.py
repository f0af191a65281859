"""How fast the post checker is: a 280-character post and a 5,000-character one.

The checker runs on every keystroke, so :func:`report` times
``privacy.check`` on realistic synthetic posts and prints each median against
a floor measured in the same run: ``len(text)`` plus one compiled regular
expression search over the same text, the least any checker could do.
Figures are printed, never asserted: machines differ, ratios travel.

Run alone with ``python tests/bench_privacy.py``.
"""

from __future__ import annotations

import re
import statistics
import timeit
from collections.abc import Callable

from carefully import privacy

SHORT_POST = (  # a 280-character post about a patient, as a physician might write it
    "Rough night in the ED. A 92-year-old woman from Springfield came in at 2 am after a "
     "fall, sharp as a tack and flirting with the residents. Her daughter called from "
    "555-201-3344 twice. Bed 7 says thanks for the pudding! Grateful for the night team "
     "and the coffee. #EDlife #MedTwitter"
)

PARAGRAPHS = (  # mixed clean and identifying text, repeated to 5,000 characters
    ("Gave a talk on diabetes care at the state conference in 2024; slides at "
     "example.org/talks. Thanks to Dr. Okonkwo for the invitation and the great questions. "),
    ("My patient Mrs. Alvarez came back to clinic today walking without her cane, and her "
     "husband, Frank, brought cookies for the whole unit. "),
    ("Flu shots are available at our clinic this week. Walk-ins welcome, and please remind "
     "every patient that the portal is down on Sunday night. "),
    ("MRN 00482913: anyone know why this patient's labs keep getting cancelled? Her policy "
     "number is BCX-44120-77 and the insurer still says she isn't covered. "),
    ("The patient from the warehouse fire on Route 9 is finally off the ventilator, and the "
     "twins I delivered on March 14 came in for their checkup. "),
    ("Listening to patients is the most underrated skill in medicine. Take your vacation "
     "days, drink water, and ask for help when you need it. "),
)


def long_post(length: int = 5000) -> str:
    """Realistic synthetic text of exactly ``length`` characters."""
    text = ""
    while len(text) < length:
        text += "".join(PARAGRAPHS)
    return text[:length]


_FLOOR_PATTERN = re.compile(r"\d{3}-\d{4}")


def floor(text: str) -> object:
    """The least a checker could do: look at the length and search the text once."""
    return len(text), _FLOOR_PATTERN.search(text)


def median_seconds(work: Callable[[], object], runs: int, repeats: int = 15) -> float:
    """The median time of one call of ``work``, over ``repeats`` timings of ``runs`` calls."""
    work()  # warm up: compile patterns, fill caches
    return statistics.median(timeit.repeat(work, number=runs, repeat=repeats)) / runs


def report() -> list[str]:
    """Printable lines: median time per check, and its ratio to the floor, per text size."""
    lines = ["post checker (privacy.check), median per check:"]
    for name, text, runs in (("280-character post", SHORT_POST[:280], 400),
                             ("5,000-character post", long_post(), 40)):
        checker = median_seconds(lambda text=text: privacy.check(text), runs)
        base = median_seconds(lambda text=text: floor(text), runs * 50)
        lines.append(f"  {name:22} {checker * 1e3:8.3f} ms   floor {base * 1e6:8.2f} µs   "
                     f"ratio {checker / base:8.0f}x")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
