"""OpenComplaints: case management and statutory reporting for children's social care complaints."""

__version__ = "0.1.0"
