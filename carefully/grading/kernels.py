"""A fresh kernel for every submission, started before the submission arrives.

nbgrader runs each submission in a new kernel; starting one takes most of a
second. :class:`SpareKernel` starts the next kernel as soon as the previous
one is taken, so its start-up overlaps the grading of the current submission.
Every submission still runs in a kernel nobody else has used, with nbgrader's
environment (``NBGRADER_EXECUTION=autograde``) and in the folder nbgrader would
use; the kernel is shut down afterwards.

:class:`CourseExecute` is nbgrader's own Execute preprocessor, given that
kernel and run with the gradebook lock set aside, so that other graders can
use the gradebook while this kernel runs.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.util import run_hook
from nbgrader.preprocessors import Execute

from .locks import FileLock

HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"


class SpareKernel:
    """At most one started, unused kernel (with its client connected), kept for the
    next submission."""

    def __init__(self, kernel_name: str = "python3", cwd: Path | None = None) -> None:
        self.kernel_name = kernel_name
        self.cwd = str(cwd) if cwd else None
        self._spare: AsyncKernelManager | None = None
        self._retired: list[AsyncKernelManager] = []

    def _start(self) -> AsyncKernelManager | None:
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        env = {**os.environ, "NBGRADER_EXECUTION": "autograde"}
        try:
            run_sync(km.start_kernel)(extra_arguments=[HISTORY_IN_MEMORY], env=env, cwd=self.cwd)
            # Connect now: the channels are ready by the time a submission needs them.
            km.spare_client = km.client()
            km.spare_client.start_channels()
        except Exception:  # noqa: BLE001 (no spare this time: nbgrader starts its own kernel)
            stop(km)
            return None
        return km

    def take(self, kernel_name: str) -> AsyncKernelManager | None:
        """The spare kernel (if it suits and is alive), and start the next one."""
        km, self._spare = self._spare, None
        if km is not None and (kernel_name != self.kernel_name or not _alive(km)):
            self.retire(km)
            km = None
        if kernel_name == self.kernel_name:
            self._spare = self._start()
        return km

    def warm(self) -> None:
        """Start a spare kernel now if there is none."""
        if self._spare is None:
            self._spare = self._start()

    def retire(self, km: AsyncKernelManager) -> None:
        """End a used kernel now; its manager is cleaned up by :meth:`reap`."""
        client = getattr(km, "spare_client", None)
        if client is not None:
            client.stop_channels()
        process = getattr(getattr(km, "provisioner", None), "process", None)
        try:
            if process is not None:
                process.kill()
        except OSError:
            pass
        self._retired.append(km)

    def reap(self) -> None:
        """Clean up the kernels retired so far."""
        retired, self._retired = self._retired, []
        for km in retired:
            stop(km)

    def close(self) -> None:
        km, self._spare = self._spare, None
        if km is not None:
            self.retire(km)
        self.reap()


def _alive(km: AsyncKernelManager) -> bool:
    try:
        return bool(run_sync(km.is_alive)())
    except Exception:  # noqa: BLE001 (a kernel we cannot ask is not alive)
        return False


def stop(km: AsyncKernelManager) -> None:
    """Shut a kernel down at once; it holds nothing worth keeping."""
    with contextlib.suppress(Exception):  # already gone is as good as stopped
        run_sync(km.shutdown_kernel)(now=True)
    with contextlib.suppress(Exception):
        run_sync(km.cleanup_resources)()


# What the grader of this process lends to CourseExecute (nbgrader builds the
# preprocessor itself, so these cannot be passed to it).
SPARE: SpareKernel | None = None
GRADEBOOK_LOCK: FileLock | None = None


class CourseExecute(Execute):
    """nbgrader's Execute with a kernel started ahead and the gradebook lock set aside."""

    def preprocess(self, nb, resources=None, km=None):
        spare = SPARE if km is None else None
        kernel_name = nb.metadata.get("kernelspec", {}).get("name", "python3")
        km = spare.take(kernel_name) if spare is not None else km
        path = (resources or {}).get("metadata", {}).get("path") if km else None
        self._workdir = (path or os.getcwd()) if km else None
        try:
            if GRADEBOOK_LOCK is not None:
                with GRADEBOOK_LOCK.suspended():
                    return super().preprocess(nb, resources, km=km)
            return super().preprocess(nb, resources, km=km)
        finally:
            if km is not None and spare is not None:
                self.kc = None
                spare.retire(km)
                self.km = None

    async def async_start_new_kernel_client(self):
        if not getattr(self, "_workdir", None):
            return await super().async_start_new_kernel_client()
        # A kernel started ahead: connect without the stock client's fixed 0.2 s wait.
        self.kc = self.km.spare_client
        try:
            await _ready(self.kc, self.startup_timeout)
        except Exception:
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        # It works where nbgrader would have started it (silently: no count, no output).
        msg_id = await ensure_async(self.kc.execute(
            f"__import__('os').chdir({str(self._workdir)!r})", silent=True, store_history=False))
        await self.async_wait_for_reply(msg_id)
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)


async def _ready(kc, timeout: float) -> None:
    """Wait until the kernel answers on its shell channel and its IOPub channel is
    connected (as jupyter_client's wait_for_ready does), then drain IOPub."""
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not answer within {timeout} s")
        kc.kernel_info()
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            continue
        if reply.get("msg_type") != "kernel_info_reply":
            continue
        try:  # an IOPub message proves IOPub is connected
            await ensure_async(kc.iopub_channel.get_msg(timeout=0.2))
        except Empty:
            continue
        break
    while True:
        try:
            await ensure_async(kc.iopub_channel.get_msg(timeout=0.01))
        except Empty:
            return
