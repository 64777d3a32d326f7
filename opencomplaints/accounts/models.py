from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff (or an external investigator, independent person or panel member) who signs in."""

    job_title = models.CharField(max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
