"""kesu (客诉): customer-complaint management for dealerships and their carmaker."""
